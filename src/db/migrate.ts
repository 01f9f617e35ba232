import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Database } from './database.js';

/** Where the numbered `.sql` migrations live, from src/db or dist/db alike. */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations/', import.meta.url));

export interface Migration {
  id: number;
  name: string;
  sql: string;
}

export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d+_[\w-]+\.sql$/.test(f))
    .map((f) => ({ id: Number(f.split('_')[0]), name: f, sql: readFileSync(dir + f, 'utf8') }))
    .sort((a, b) => a.id - b.id);
}

// Any constant works; it only has to be the same for every TornCat node sharing the database.
const MIGRATION_LOCK = 7_301_001;

/**
 * Applies the migrations not yet recorded, each in its own transaction that records it.
 * A transaction-scoped advisory lock serializes concurrent migrators (two nodes starting at
 * once), so each migration is applied exactly once; the loser then sees it recorded and skips it.
 * Returns the names applied by this call.
 */
export async function migrate(db: Database, migrations = readMigrations()): Promise<string[]> {
  await db.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await tx.query(
      `create table if not exists torncat_migrations (
         id integer primary key,
         name text not null,
         applied_at timestamptz not null default now()
       )`,
    );
  });
  const applied: string[] = [];
  for (const m of migrations) {
    const done = await db.transaction(async (tx) => {
      await tx.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      const seen = await tx.query('select 1 from torncat_migrations where id = $1', [m.id]);
      if (seen.rowCount > 0) return false;
      await tx.query('insert into torncat_migrations (id, name) values ($1, $2)', [m.id, m.name]);
      await tx.exec(m.sql);
      return true;
    });
    if (done) applied.push(m.name);
  }
  return applied;
}
