import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { embeddedKind, type EmbeddedKind } from './embedded-kind.js';
import type { Database } from './database.js';
import type { ClusterLog } from './embedded-cluster.js';
import { openEmbeddedPostgresDatabase } from './embedded-postgres-database.js';
import { openPgDatabase } from './pg-database.js';
import { openPgliteDatabase } from './pglite-database.js';

export interface OpenDatabaseOptions {
  onPoolError?: (e: Error) => void;
  /** `TORNCAT_EMBEDDED`, without `DATABASE_URL`. @default chosen by embeddedKind() */
  embedded?: EmbeddedKind;
  log?: ClusterLog;
}

/**
 * `DATABASE_URL` decides: `postgres://…` → that server, `memory://` → PGlite in memory; unset →
 * the embedded database under dataDir (`postgres/` or `pglite/`, see embeddedKind).
 */
export async function openDatabase(databaseUrl: string | undefined, dataDir: string, options: OpenDatabaseOptions = {}): Promise<Database> {
  if (databaseUrl === 'memory://') return openPgliteDatabase(undefined);
  if (databaseUrl !== undefined) return openPgDatabase(databaseUrl, options);
  const { kind, legacy } = embeddedKind(dataDir, options.embedded);
  if (kind === 'postgres') {
    if (existsSync(join(dataDir, 'pglite', 'PG_VERSION'))) {
      options.log?.warn({ dataDir }, 'TORNCAT_EMBEDDED=postgres: the PGlite data in pglite/ is left as it was, unused');
    }
    return openEmbeddedPostgresDatabase(join(dataDir, 'postgres'), options);
  }
  if (legacy) {
    options.log?.warn(
      { dataDir },
      'keeping the PGlite database this data directory already holds; TORNCAT_EMBEDDED=pglite silences this, TORNCAT_EMBEDDED=postgres starts an empty embedded PostgreSQL instead (members sign in again), see docs/operations.md',
    );
  }
  const dir = join(dataDir, 'pglite');
  mkdirSync(dir, { recursive: true });
  return openPgliteDatabase(dir);
}
