import cluster, { type Worker } from 'node:cluster';
import { join } from 'node:path';
import { AggregatorRegistry } from 'prom-client';
import type { Logger } from 'pino';
import { Backoff } from '../backoff.js';
import type { Config } from '../config.js';
import { startEmbeddedPostgres } from '../db/embedded-postgres-database.js';
import { migrate } from '../db/migrate.js';
import { openPgDatabase } from '../db/pg-database.js';
import { toError } from '../errors.js';
import { exitOnStop } from '../server/process-exit.js';
import { isWorkerMessage, type WorkerMessage } from './messages.js';
import { SharedLimits } from './shared-limits.js';
import { WORKER_ENV } from './worker-env.js';

/** A worker that served this long before dying is not in a crash loop: its replacement starts at once. */
const STEADY_MS = 60_000;

interface Slot {
  worker: Worker;
  startedAt: number;
  serving: boolean;
  restarts: Backoff;
}

/**
 * `torncat serve` under WORKERS: the primary process serves nothing itself. It starts the embedded
 * PostgreSQL when there is no DATABASE_URL, migrates once, forks the workers (which share the port:
 * Node's cluster hands connections round-robin), holds the node-wide limits they ask for, gathers
 * /metrics, replaces a worker that dies, and passes a stop on to every worker.
 */
export async function runPrimary(config: Config, log: Logger, workers: number, reason: string): Promise<void> {
  let stopping = false;
  // Listened for from the start: a stop while the database starts or the workers start still stops
  // every worker and the embedded PostgreSQL, rather than the signal killing the primary alone.
  const starting = prepareDatabase(config, log, workers);
  // Until the workers are forked, stopping is stopping the embedded PostgreSQL once it has started.
  let stop = async (): Promise<void> => (await starting.catch(() => undefined))?.stop();
  exitOnStop(
    () => {
      stopping = true;
      return stop();
    },
    log,
    { graceMs: 15_000 },
  );
  const db = await starting;
  const databaseUrl = db?.url ?? config.databaseUrl!;
  if (stopping) return;

  const limits = new SharedLimits(config);
  const metrics = new AggregatorRegistry();
  const slots = new Map<number, Slot>();
  let serving = false;
  let started!: (url: string) => void;
  let failed!: (e: Error) => void;
  const allServing = new Promise<string>((resolve, reject) => ((started = resolve), (failed = reject)));

  const fork = (index: number, restarts: Backoff) => {
    const env: Record<string, string> = { [WORKER_ENV.index]: String(index) };
    if (db) env[WORKER_ENV.databaseUrl] = databaseUrl;
    slots.set(index, { worker: cluster.fork(env), startedAt: Date.now(), serving: false, restarts });
  };
  const slotOf = (worker: Worker) => [...slots.entries()].find(([, s]) => s.worker === worker);

  cluster.on('message', (worker, m: unknown) => {
    if (!isWorkerMessage(m)) return;
    onMessage(worker, m);
  });
  const onMessage = (worker: Worker, m: WorkerMessage) => {
    if (m.torncat === 'release-stream') return limits.releaseStream(m.slot);
    if (m.torncat === 'rejected-remember') return limits.rememberRejected(m.digest);
    if (m.torncat === 'listening') {
      const found = slotOf(worker);
      if (!found) return;
      const [index, slot] = found;
      slot.serving = true;
      if ([...slots.values()].every((s) => s.serving)) started(m.url);
      if (slot.restarts.level > 0) log.info({ worker: index, pid: worker.process.pid }, `worker ${index} replaced`);
      return;
    }
    if (m.torncat === 'metrics') {
      metrics.clusterMetrics().then(
        (text) => send(worker, { torncat: 'reply', id: m.id, text }),
        (e: unknown) => send(worker, { torncat: 'reply', id: m.id, failed: toError(e).message }),
      );
      return;
    }
    send(worker, limits.answer(worker.id, m));
  };

  cluster.on('exit', (worker, code, signal) => {
    const freed = limits.workerGone(worker.id);
    const found = slotOf(worker);
    if (!found || stopping) return;
    const [index, slot] = found;
    // Before every worker serves, a death is a start that failed (a bad config, no database): no loop of retries.
    if (!serving) {
      failed(new Error(`worker ${index} exited before serving (${signal ?? `code ${code}`}): its log lines above say why`));
      return;
    }
    if (Date.now() - slot.startedAt > STEADY_MS) slot.restarts.succeed();
    const wait = slot.restarts.fail();
    log.error(
      { worker: index, pid: worker.process.pid, code, signal, streamsFreed: freed, restartInMs: wait },
      `worker ${index} died: starting another`,
    );
    setTimeout(() => {
      if (!stopping) fork(index, slot.restarts);
    }, wait).unref();
  });
  stop = async (): Promise<void> => {
    stopping = true;
    const exits = [...slots.values()].map(
      (s) =>
        new Promise<number | null>((resolve) => {
          // One that died before the stop was reported then.
          if (s.worker.isDead()) return resolve(null);
          s.worker.once('exit', (code) => resolve(code));
          s.worker.process.kill('SIGTERM');
        }),
    );
    const codes = await Promise.all(exits);
    await db?.stop();
    const bad = codes.filter((c) => c !== 0 && c !== null).length;
    if (bad) throw new Error(`${bad} worker${bad === 1 ? '' : 's'} did not stop cleanly`);
  };

  for (let i = 1; i <= workers; i++) fork(i, new Backoff({ baseMs: 1000, maxMs: 30_000 }));
  let url: string;
  try {
    url = await allServing;
  } catch (e) {
    await stop().catch(() => {});
    throw e;
  }
  serving = true;
  log.info({ workers, pid: process.pid }, `TornCat listening on ${url} (${reason})`);
}

/** Starts the embedded PostgreSQL when there is no DATABASE_URL, and applies the migrations once for every worker. */
async function prepareDatabase(config: Config, log: Logger, workers: number): Promise<{ url: string; stop(): Promise<void> } | undefined> {
  // The pool of every worker, its LISTEN and lock connections, and room for a psql or two.
  const db =
    config.databaseUrl === undefined
      ? await startEmbeddedPostgres(join(config.dataDir, 'postgres'), { log, maxConnections: Math.max(40, 16 * workers + 8) })
      : undefined;
  try {
    const migrating = await openPgDatabase(db?.url ?? config.databaseUrl!, { max: 1 });
    try {
      const applied = await migrate(migrating);
      if (applied.length) log.info({ applied }, 'migrations applied');
    } finally {
      await migrating.close();
    }
  } catch (e) {
    await db?.stop();
    throw e;
  }
  return db;
}

function send(worker: Worker, m: object): void {
  // A worker that is exiting has no channel left: its requests need no answer.
  if (worker.isConnected()) worker.send(m);
}
