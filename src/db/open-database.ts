import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from './database.js';
import { openPgDatabase } from './pg-database.js';
import { openPgliteDatabase } from './pglite-database.js';

/** `DATABASE_URL` decides: unset → PGlite under dataDir, `memory://` → PGlite in memory, else that server. */
export async function openDatabase(
  databaseUrl: string | undefined,
  dataDir: string,
  options: { onPoolError?: (e: Error) => void } = {},
): Promise<Database> {
  if (databaseUrl === 'memory://') return openPgliteDatabase(undefined);
  if (databaseUrl === undefined) {
    const dir = join(dataDir, 'pglite');
    mkdirSync(dir, { recursive: true });
    return openPgliteDatabase(dir);
  }
  return openPgDatabase(databaseUrl, options);
}
