import type { Config } from '../config.js';
import { embeddedKind } from '../db/open-database.js';
import { usableCpus } from './cpu-count.js';

/** How many worker processes `torncat serve` runs, and the reason its log gives. */
export function workerCount(config: Config): { workers: number; reason: string } {
  if (config.databaseUrl === 'memory://') return { workers: 1, reason: 'PGlite (DATABASE_URL=memory://) lives in one process: one worker' };
  if (config.databaseUrl === undefined && embeddedKind(config.dataDir, config.embeddedDatabase).kind === 'pglite')
    return {
      workers: 1,
      reason: 'the embedded PGlite database lives in one process: one worker (the embedded PostgreSQL serves every core)',
    };
  if (config.workers === 1) return { workers: 1, reason: 'WORKERS=1: one process' };
  if (config.workers !== undefined) return { workers: config.workers, reason: `WORKERS=${config.workers}: ${config.workers} workers` };
  const cpus = usableCpus();
  return { workers: cpus, reason: `one worker per CPU: ${cpus} worker${cpus === 1 ? '' : 's'} (WORKERS sets another number)` };
}
