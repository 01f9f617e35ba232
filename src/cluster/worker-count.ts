import type { Config } from '../config.js';
import { embeddedKind } from '../db/embedded-kind.js';
import { usableCpus } from './cpu-count.js';
import { usableMemory } from './memory-limit.js';

/**
 * Memory each default worker should have: a worker holds about 85 MiB at rest and grows under load,
 * and the primary (80 MiB) and the embedded PostgreSQL share the rest. A container whose CPU quota is
 * not visible to it still gets no more workers than its memory carries.
 */
const MEMORY_PER_WORKER = 256 * 2 ** 20;

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
  const byMemory = Math.max(1, Math.floor(usableMemory() / MEMORY_PER_WORKER));
  if (byMemory < cpus)
    return {
      workers: byMemory,
      reason: `one worker per 256 MiB of memory: ${plural(byMemory)} for ${cpus} CPUs (WORKERS sets another number)`,
    };
  return { workers: cpus, reason: `one worker per CPU: ${plural(cpus)} (WORKERS sets another number)` };
}

function plural(n: number): string {
  return `${n} worker${n === 1 ? '' : 's'}`;
}
