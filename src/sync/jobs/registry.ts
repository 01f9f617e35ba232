import type { FactionJob, NodeJob } from './job.js';
import { chainJob } from './chain.js';
import { chainReportJob } from './chain-report.js';
import { clockJob } from './clock.js';
import { enemyJob } from './enemy.js';
import { ownSideJob } from './own-side.js';
import { rankedWarReportJob } from './ranked-war-report.js';
import { warCheckJob } from './war-check.js';

// Every Torn read the sync makes: adding one is a job file and a line here (docs/design.md).

/** A faction's reads, run in this order in each run of the faction (a later one sees what an earlier one learned). */
export const FACTION_JOBS: readonly FactionJob[] = [warCheckJob, enemyJob, ownSideJob, chainJob, chainReportJob, rankedWarReportJob];

/** Reads every node makes for itself. */
export const NODE_JOBS: readonly NodeJob[] = [clockJob];
