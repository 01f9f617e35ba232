import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { lstatSync, readFileSync } from 'node:fs';
import { MigrationError, checksumOf, migrate, readMigrations } from '../../src/db/migrate.js';
import { openPgDatabase } from '../../src/db/pg-database.js';
import { backends, createPgDatabase, postgresReachable } from '../helpers/databases.js';

const all = await backends();

for (const backend of all) {
  describe(`migrations on ${backend.name}`, () => {
    test('apply on an empty database, and a second run is a no-op', async () => {
      const { db, close } = await backend.open({ migrated: false });
      try {
        const first = await migrate(db);
        assert.deepEqual(
          first,
          readMigrations().map((m) => m.name),
        );
        const tables = await db.query<{ table_name: string }>(
          `select table_name from information_schema.tables where table_schema = 'public' order by 1`,
        );
        for (const t of [
          'factions',
          'players',
          'api_keys',
          'sessions',
          'wars',
          'targets',
          'calls',
          'faction_events',
          'faction_event_counters',
        ]) {
          assert.ok(
            tables.rows.some((r) => r.table_name === t),
            `table ${t} exists`,
          );
        }
        assert.deepEqual(await migrate(db), []);
        const recorded = await db.query<{ n: number }>('select count(*)::int as n from torncat_migrations');
        assert.equal(recorded.rows[0].n, readMigrations().length);
      } finally {
        await close();
      }
    });

    test('the SSE trigger file runs again as-is on a migrated database', async () => {
      const { db, close } = await backend.open();
      try {
        await db.exec(readFileSync(new URL('../../sql/create_sse_trigger.sql', import.meta.url), 'utf8'));
        const seq = await db.query<{ s: number }>(`select torncat_append_event(1, 'x', '{}'::json) as s`);
        assert.equal(seq.rows[0].s, 1);
      } finally {
        await close();
      }
    });
  });
}

test(
  'two concurrent migrators on one PostgreSQL database apply each migration once',
  { skip: !(await postgresReachable()) && 'no PostgreSQL server here' },
  async () => {
    const created = await createPgDatabase();
    const a = await openPgDatabase(created.url);
    const b = await openPgDatabase(created.url);
    try {
      const [ra, rb] = await Promise.all([migrate(a), migrate(b)]);
      const names = readMigrations().map((m) => m.name);
      assert.deepEqual([...ra, ...rb].sort(), names.sort(), 'every migration applied by exactly one of them');
      const recorded = await a.query<{ n: number }>('select count(*)::int as n from torncat_migrations');
      assert.equal(recorded.rows[0].n, names.length);
    } finally {
      await a.close();
      await b.close();
      await created.drop();
    }
  },
);

for (const backend of all) {
  describe(`migrations are append-only on ${backend.name}`, () => {
    test('a migration edited after it was applied stops the start with a message naming the file', async () => {
      const { db, close } = await backend.open();
      try {
        const edited = readMigrations().map((m) =>
          m.id === 3 ? { ...m, sql: m.sql + '\n-- edited', checksum: checksumOf(m.sql + '\n-- edited') } : m,
        );
        await assert.rejects(
          migrate(db, edited),
          (e: unknown) => e instanceof MigrationError && /003_war_summary\.sql changed after it was applied/.test(e.message),
        );
        assert.deepEqual(await migrate(db), [], 'the unedited set still passes');
      } finally {
        await close();
      }
    });

    test('a database with migrations this code does not know is refused', async () => {
      const { db, close } = await backend.open();
      try {
        await db.query(`insert into torncat_migrations (id, name, checksum) values (999, '999_from_the_future.sql', 'x')`);
        await assert.rejects(migrate(db), (e: unknown) => e instanceof MigrationError && /999_from_the_future\.sql/.test(e.message));
      } finally {
        await close();
      }
    });

    test('a database migrated before checksums were recorded gets them, and is checked from then on', async () => {
      const { db, close } = await backend.open();
      try {
        await db.query('update torncat_migrations set checksum = null');
        assert.deepEqual(await migrate(db), []);
        const r = await db.query<{ n: number }>('select count(*)::int as n from torncat_migrations where checksum is not null');
        assert.equal(r.rows[0].n, readMigrations().length);
      } finally {
        await close();
      }
    });

    test('every migration is a real file, not a link to an editable script', () => {
      for (const m of readMigrations()) {
        assert.equal(lstatSync(new URL(`../../migrations/${m.name}`, import.meta.url)).isSymbolicLink(), false, m.name);
      }
    });
  });
}
