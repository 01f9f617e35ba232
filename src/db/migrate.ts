import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Database } from './database.js';

/** Where the numbered `.sql` migrations live, from src/db or dist/db alike. */
const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations/', import.meta.url));

export interface Migration {
  id: number;
  name: string;
  sql: string;
  /** SHA-256 of the text (line endings normalized, so a checkout's CRLF does not count as an edit). */
  checksum: string;
}

/** A migration set the database does not match: refuse to start rather than run on a drifted schema. */
export class MigrationError extends Error {
  override name = 'MigrationError';
}

export function checksumOf(sql: string): string {
  return createHash('sha256').update(sql.replace(/\r\n/g, '\n')).digest('hex');
}

export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d+_[\w-]+\.sql$/.test(f))
    .map((f) => {
      const sql = readFileSync(dir + f, 'utf8');
      return { id: Number(f.split('_')[0]), name: f, sql, checksum: checksumOf(sql) };
    })
    .sort((a, b) => a.id - b.id);
}

// Any constant works; it only has to be the same for every TornCat node sharing the database.
const MIGRATION_LOCK = 7_301_001;

/**
 * Applies the migrations not yet recorded, each in its own transaction that records it with its
 * checksum. A transaction-scoped advisory lock serializes concurrent migrators (two nodes starting
 * at once), so each migration is applied exactly once; the loser then sees it recorded and skips it.
 * Migrations are append-only: one edited after it was applied, or one the database has and this
 * code does not (a newer TornCat migrated it), stops the start with a MigrationError.
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
    await tx.query('alter table torncat_migrations add column if not exists checksum text');
    const recorded = await tx.query<{ id: number; name: string; checksum: string | null }>(
      'select id, name, checksum from torncat_migrations order by id',
    );
    const known = new Map(migrations.map((m) => [m.id, m]));
    const unknown = recorded.rows.filter((r) => !known.has(r.id));
    if (unknown.length) {
      throw new MigrationError(
        `The database has migrations this TornCat does not know (${unknown.map((r) => r.name).join(', ')}): a newer version migrated it. Run that version or a newer one`,
      );
    }
    for (const r of recorded.rows) {
      const m = known.get(r.id)!;
      // Recorded before checksums existed: what is applied is taken to be today's file.
      if (r.checksum === null) {
        await tx.query('update torncat_migrations set checksum = $2 where id = $1', [r.id, m.checksum]);
      } else if (r.checksum !== m.checksum) {
        throw new MigrationError(
          `migrations/${m.name} changed after it was applied to this database (checksum ${r.checksum.slice(0, 12)}… recorded, ${m.checksum.slice(0, 12)}… now). Released migrations are never edited: undo the edit and put the change in a new numbered file`,
        );
      }
    }
  });
  const applied: string[] = [];
  for (const m of migrations) {
    const done = await db.transaction(async (tx) => {
      await tx.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      const seen = await tx.query('select 1 from torncat_migrations where id = $1', [m.id]);
      if (seen.rowCount > 0) return false;
      await tx.query('insert into torncat_migrations (id, name, checksum) values ($1, $2, $3)', [m.id, m.name, m.checksum]);
      await tx.exec(m.sql);
      return true;
    });
    if (done) applied.push(m.name);
  }
  return applied;
}
