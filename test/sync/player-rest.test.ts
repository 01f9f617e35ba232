import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { backends } from '../helpers/databases.js';
import { demoKey, startWarFixture, type WarFixture } from '../helpers/war-fixture.js';
import { storeKey } from '../../src/auth/keys.js';

for (const backend of await backends()) {
  describe(`Torn's error 5 on ${backend.name}: it counts the player, so all their keys rest`, () => {
    let f: WarFixture;
    let token: string;
    const byKey = async (): Promise<Record<string, number>> => (await f.simControl('/__sim/stats')).byKey;
    const resting = async (playerId: number): Promise<boolean[]> =>
      (
        await f.db.query<{ resting: boolean }>(
          'select coalesce(rest_until > now(), false) as resting from api_keys where player_id = $1 order by id',
          [playerId],
        )
      ).rows.map((r) => r.resting);

    before(async () => {
      f = await startWarFixture(backend);
      token = await f.signIn(2001);
      await f.signIn(2002);
      await storeKey(f.db, f.server.ctx.vault, 2001, demoKey(2001, 1));
    });
    after(() => f.close());

    test("error 5 on one of a member's two keys rests both, and the other member's key carries on", async () => {
      await f.simControl(`/__sim/keys/${demoKey(2001)}/error`, { code: 5 });
      for (let i = 0; i < 5 && !(await resting(2001)).every(Boolean); i++) await f.sync(1001);
      assert.deepEqual(await resting(2001), [true, true], 'both keys of 2001 rest');
      assert.deepEqual(await resting(2002), [false]);
      assert.equal((await f.api('/api/war', { token })).body.me.keyStatus, 'resting');

      await f.simControl(`/__sim/keys/${demoKey(2001)}/error`, { code: null });
      const before = await byKey();
      await f.sync(1001);
      await f.sync(1001);
      const after = await byKey();
      for (const key of [demoKey(2001), demoKey(2001, 1)]) assert.equal(after[key] ?? 0, before[key] ?? 0, `${key} is left alone`);
      assert.ok(after[demoKey(2002)] - before[demoKey(2002)] >= 4, "2002's key serves the faction meanwhile");
    });
  });
}
