import type { Logger } from 'pino';
import type { Database } from '../../db/database.js';
import type { TornClient, TornClock } from '../../torn/index.js';
import type { FactionState } from '../faction-state.js';
import type { TornRequester } from '../requester.js';
import type { JobOutcome } from '../job-outcome.js';

// What a Torn read is to the scheduler. A read of one faction's data is a FactionJob; a read every
// node makes for itself (Torn's clock) is a NodeJob. Both are listed once, in jobs/registry.ts.

export type { JobOutcome };

/** The intervals the jobs run at (the configuration's, or a test's). */
export interface SyncIntervals {
  warCheckIntervalMs: number;
  targetStatusRefreshIntervalMs: number;
  ownFactionRefreshIntervalMs: number;
  /** How often this node asks Torn for its time. */
  clockIntervalMs: number;
  /** An upcoming war's enemy is first polled this long before its start. */
  warLeadMs: number;
  /** Our chain report is read at most this often during a war (a minute: the budgets' window). */
  chainReportIntervalMs: number;
}

/** What a job may use: the database, Torn (through the requester, which lends keys and backs off), the clock. */
export interface JobContext {
  db: Database;
  torn: TornClient;
  requester: TornRequester;
  clock: TornClock;
  log: Logger;
  intervals: SyncIntervals;
}

/**
 * One Torn read for one faction. The scheduler asks `due` on every tick and, when a run of the
 * faction starts, runs every due job in the registry's order (a forced sync asks `due` too: most
 * jobs run whether due or not). After a run the scheduler sets the job's next time in
 * `faction.next[name]` from `intervalMs` (`reschedule`).
 */
export interface FactionJob {
  /** Names the job in `faction.next` and in logs. */
  readonly name: string;
  /** How often it runs for a faction. */
  intervalMs(intervals: SyncIntervals): number;
  due(faction: FactionState, now: number, force: boolean): boolean;
  /**
   * Reads Torn (through `ctx.requester`) and writes what changed. `changed`: the faction's war
   * summaries were refreshed by it (the scheduler refreshes them otherwise, when the event log moved).
   */
  run(faction: FactionState, ctx: JobContext, force: boolean, now: number): Promise<JobOutcome>;
}

/** A read every node makes for itself, polling factions or not. */
export interface NodeJob {
  readonly name: string;
  /** Runs once with a key of one of `factionIds` (in order); returns when it wants to run again (this node's Unix ms). */
  run(ctx: JobContext, factionIds: readonly number[]): Promise<number>;
}

/**
 * Torn caches an answer ~29 s; a poll more frequent than that asks for fresh data with Torn's
 * documented `timestamp` parameter (and so does a forced sync: someone asked to look now). Never
 * by switching keys: Torn's cache is per selection and id, whoever asks.
 */
const TORN_CACHE_MS = 29_000;

/** Whether a read every `intervalMs` must ask past Torn's cache. */
export function wantsFresh(intervalMs: number, force: boolean): boolean {
  return force || intervalMs < TORN_CACHE_MS;
}

/** Whether the job's next time has come (or a forced sync asks for it). */
export function dueNow(faction: FactionState, name: string, now: number, force: boolean): boolean {
  return force || now >= (faction.next[name] ?? 0);
}

/**
 * Sets the job's next time after a run that began at `now`: fixed rate (no drift), skipping what
 * was missed; after a `wait`, when a key is free again.
 */
export function reschedule(faction: FactionState, name: string, out: JobOutcome, intervalMs: number, now: number): void {
  if (out.kind === 'backoff') return;
  if (out.kind === 'wait') {
    faction.next[name] = Math.max(out.retryAt, now + 25);
    return;
  }
  const next = (faction.next[name] ?? 0) + intervalMs;
  faction.next[name] = next > now ? next : now + intervalMs;
}
