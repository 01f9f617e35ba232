import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { migrate, readMigrations } from '../../src/db/migrate.js';
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
