import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { backends } from '../helpers/databases.js';
import type { Database } from '../../src/db/database.js';
import { readSummary, refreshSummaries, refreshSummaryView } from '../../src/war/summary.js';
import { seedWars } from '../../bench/many-wars.js';

for (const backend of await backends()) {
  describe(`war summaries per war on ${backend.name}`, () => {
    let db: Database;
    let close: () => Promise<void>;
    let factions: number[];

    before(async () => {
      ({ db, close } = await backend.open());
      factions = await seedWars(db, 200);
    });
    after(() => close());

    test('a sync computes its own war’s summary among 200 wars, and leaves the materialized view alone', async () => {
      const [f] = factions;
      await refreshSummaryView(db);
      await db.query(`update targets set status_state = 'Okay', status_until = null where faction_id = $1 and war_id = $1`, [f]);
      const sent = await db.transaction((tx) => refreshSummaries(tx, f, [f]));
      assert.equal(sent.length, 1);
      assert.deepEqual(sent[0].counts, { total: 25, okay: 25, hospital: 0, traveling: 0, jail: 0, other: 0, calls: 1 });
      assert.deepEqual(sent[0].nextExits, []);
      // The view still shows the state of its last refresh: the sync did not recompute 200 wars.
      const stale = await db.query<{ okay: number }>('select okay from war_summary where faction_id = $1 and war_id = $1', [f]);
      assert.notEqual(stale.rows[0].okay, 25);
    });

    test('the materialized view, refreshed on its own timer, agrees with every war’s own summary', async () => {
      assert.equal(await refreshSummaryView(db), true);
      const rows = await db.query<{ faction_id: number; war_id: number; okay: number; hospital: number; calls: number }>(
        'select faction_id, war_id, okay, hospital, calls from war_summary where faction_id = any($1::int[])',
        [factions],
      );
      assert.equal(rows.rows.length, 200);
      for (const r of rows.rows.slice(0, 20)) {
        const own = await readSummary(db, r.faction_id, r.war_id);
        assert.deepEqual([own?.counts.okay, own?.counts.hospital, own?.counts.calls], [r.okay, r.hospital, r.calls]);
      }
    });

    test('an unchanged summary sends nothing the second time', async () => {
      const f = factions[1];
      await db.transaction((tx) => refreshSummaries(tx, f, [f]));
      assert.deepEqual(await db.transaction((tx) => refreshSummaries(tx, f, [f])), []);
    });
  });
}
