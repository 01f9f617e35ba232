import { describe, test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { backends } from '../helpers/databases.js';
import { recordedLog } from '../helpers/recorded-log.js';
import { startWarFixture, type WarFixture } from '../helpers/war-fixture.js';

for (const backend of await backends()) {
  describe(`trusting Torn's own-faction member list on ${backend.name}`, () => {
    let f: WarFixture;
    const lines: any[] = [];
    const tokens = new Map<number, string>();

    before(async () => {
      const { log } = recordedLog(lines);
      f = await startWarFixture(backend, { server: { log } });
    });
    after(() => f.close());
    beforeEach(async () => {
      await f.simControl('/__sim/reset');
      lines.length = 0;
    });

    async function signIn(...ids: number[]): Promise<void> {
      for (const id of ids) tokens.set(id, await f.signIn(id));
    }
    const leave = (id: number) => f.simControl(`/__sim/players/${id}/faction`, { factionId: null });
    const rejoin = (id: number) => f.simControl(`/__sim/players/${id}/faction`, { factionId: 1001 });

    /** Whether the member still counts as ours: in the faction, signed in, key kept. */
    async function stillMember(id: number): Promise<boolean> {
      const r = await f.db.query<{ faction_id: number | null; sessions: number; keys: number }>(
        `select p.faction_id,
                (select count(*)::int from sessions s where s.player_id = p.id) as sessions,
                (select count(*)::int from api_keys k where k.player_id = p.id) as keys
           from players p where p.id = $1`,
        [id],
      );
      const row = r.rows[0];
      const status = (await f.api('/api/war', { token: tokens.get(id) })).status;
      const kept = row.faction_id === 1001 && row.sessions > 0 && row.keys > 0 && status === 200;
      const removed = row.faction_id === null && row.sessions === 0 && row.keys === 0 && status === 401;
      assert.ok(kept || removed, `player ${id} half removed: ${JSON.stringify({ ...row, status })}`);
      return kept;
    }

    const warnings = () => lines.filter((l) => l.level === 40 && /not trusted/.test(l.msg));

    test('one of three known members leaving is removed, as before', async () => {
      await signIn(2001, 2002, 2003);
      await f.sync(1001);
      await leave(2003);
      await f.sync(1001);
      assert.deepEqual([await stillMember(2001), await stillMember(2002), await stillMember(2003)], [true, true, false]);
      assert.deepEqual(warnings(), []);
    });

    test('a faction whose only known member leaves loses that member', async () => {
      await signIn(3001);
      await f.sync(1002);
      await f.simControl('/__sim/players/3001/faction', { factionId: null });
      await f.sync(1002);
      const r = await f.db.query<{ faction_id: number | null }>('select faction_id from players where id = 3001');
      assert.equal(r.rows[0].faction_id, null);
      assert.equal((await f.api('/api/war', { token: tokens.get(3001) })).status, 401);
    });

    test('a list that drops more than half of the known members at once removes nobody, warns, and still updates the listed ones', async () => {
      await signIn(2001, 2002, 2003, 2004);
      await f.sync(1001);
      await f.db.query(`update players set name = 'stale name' where id = 2001`);
      for (const id of [2002, 2003, 2004]) await leave(id);
      await f.sync(1001);

      assert.deepEqual(await Promise.all([2001, 2002, 2003, 2004].map(stillMember)), [true, true, true, true], 'nobody removed');
      const name = await f.db.query<{ name: string }>('select name from players where id = 2001');
      assert.notEqual(name.rows[0].name, 'stale name', 'the listed member was still updated');
      const [warning] = warnings();
      assert.deepEqual([warning?.factionId, warning?.known, warning?.departed, warning?.listed], [1001, 4, 3, 22]);

      // Once the list looks like a faction again, the one who really left goes.
      await rejoin(2003);
      await rejoin(2004);
      await f.sync(1001);
      assert.deepEqual(await Promise.all([2001, 2002, 2003, 2004].map(stillMember)), [true, false, true, true]);
    });

    test('an empty member list removes nobody and warns', async () => {
      await signIn(2001, 2002, 2003);
      await f.sync(1001);
      const state = await (await fetch(f.sim.url + '/__sim/state')).json();
      const members: number[] = state.factions.find((x: any) => x.id === 1001).memberIds;
      for (const id of members) await leave(id);
      const after = await (await fetch(f.sim.url + '/__sim/state')).json();
      assert.deepEqual(after.factions.find((x: any) => x.id === 1001).memberIds, [], 'Torn lists nobody');

      await f.sync(1001);
      assert.deepEqual(await Promise.all([2001, 2002, 2003].map(stillMember)), [true, true, true]);
      const [warning] = warnings();
      assert.equal(warning?.listed, 0);
      assert.match(warning?.msg ?? '', /listed no member/);
    });
  });
}
