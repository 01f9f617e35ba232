import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { backends } from '../helpers/databases.js';
import type { Queryable } from '../../src/db/database.js';

const SCRIPT = readFileSync(new URL('../../sql/create_sse_trigger.sql', import.meta.url), 'utf8');

/** The event log's objects as the database holds them: functions, triggers and columns. */
async function eventLogObjects(db: Queryable): Promise<string[]> {
  const fns = await db.query<{ d: string }>(
    `select pg_get_functiondef(p.oid) as d from pg_proc p join pg_namespace n on n.oid = p.pronamespace
      where n.nspname = 'public' and p.proname in ('torncat_append_event', 'torncat_notify_event') order by p.proname`,
  );
  const triggers = await db.query<{ d: string }>(
    `select pg_get_triggerdef(t.oid) as d from pg_trigger t join pg_class c on c.oid = t.tgrelid
      where c.relname in ('faction_events', 'faction_event_counters') and not t.tgisinternal order by t.tgname`,
  );
  const columns = await db.query<{ d: string }>(
    `select table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' ' || coalesce(column_default, '') as d
       from information_schema.columns where table_name in ('faction_events', 'faction_event_counters') order by 1`,
  );
  const indexes = await db.query<{ d: string }>(
    `select indexdef as d from pg_indexes where tablename in ('faction_events', 'faction_event_counters') order by 1`,
  );
  return [...fns.rows, ...triggers.rows, ...columns.rows, ...indexes.rows].map((r) => r.d);
}

for (const backend of await backends()) {
  describe(`sql/create_sse_trigger.sql against the migrations on ${backend.name}`, () => {
    test('running the script on a migrated database changes none of the event log’s objects', async () => {
      const { db, close } = await backend.open();
      try {
        const migrated = await eventLogObjects(db);
        assert.ok(migrated.length >= 6, 'functions, trigger, columns and indexes were found');
        await db.exec(SCRIPT);
        await db.exec(SCRIPT);
        assert.deepEqual(await eventLogObjects(db), migrated);
      } finally {
        await close();
      }
    });

    test('the script alone (as in Supabase’s SQL editor) makes a working log with a gap-free seq', async () => {
      const { db, close } = await backend.open({ migrated: false });
      try {
        await db.exec(SCRIPT);
        const seqs: number[] = [];
        await (db as any).transaction(async (tx: Queryable) => {
          for (let i = 0; i < 3; i++)
            seqs.push((await tx.query<{ s: number }>(`select torncat_append_event(7, 'x', '{}'::json) as s`)).rows[0].s);
        });
        assert.deepEqual(seqs, [1, 2, 3]);
      } finally {
        await close();
      }
    });
  });
}
