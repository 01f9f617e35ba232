import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { backends } from '../helpers/databases.js';
import { startWarFixture, type WarFixture } from '../helpers/war-fixture.js';

for (const backend of await backends()) {
  describe(`own faction refresh on ${backend.name}`, () => {
    let f: WarFixture;
    before(async () => {
      f = await startWarFixture(backend);
    });
    after(() => f.close());

    test('a member who left the faction loses their sessions and stored key; the others keep theirs', async () => {
      const stays = await f.signIn(2001);
      const leaves = await f.signIn(2002);
      await f.sync(1001);
      assert.equal((await f.api('/api/war', { token: leaves })).status, 200);
      const moved = await f.simControl('/__sim/players/2002/faction', { factionId: null });
      assert.equal(moved.player.factionId, null);
      await f.sync(1001);
      const r = await f.api('/api/war', { token: leaves });
      assert.equal(r.status, 401);
      assert.equal(r.body.error.code, 'unauthorized');
      const keys = await f.db.query<{ n: number }>('select count(*)::int as n from api_keys where player_id = 2002');
      assert.equal(keys.rows[0].n, 0, 'the stored key is deleted');
      assert.equal((await f.api('/api/war', { token: stays })).status, 200);
    });
  });
}
