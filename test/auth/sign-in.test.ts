import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { backends, pgliteBackend } from '../helpers/databases.js';
import { demoKey, startWarFixture, type WarFixture } from '../helpers/war-fixture.js';

for (const backend of await backends()) {
  describe(`sign-in on ${backend.name}`, () => {
    let f: WarFixture;
    before(async () => {
      f = await startWarFixture(backend);
    });
    after(() => f.close());

    test("a faction member's key gives a token, the player and the faction", async () => {
      const r = await f.api('/api/auth', { body: { apiKey: 'demo000000002001' } });
      assert.equal(r.status, 200);
      assert.match(r.body.token, /^[A-Za-z0-9_-]{43}$/);
      assert.equal(r.body.player.id, 2001);
      assert.equal(typeof r.body.player.name, 'string');
      assert.deepEqual(r.body.faction, { id: 1001, name: 'TornCat Demo' });
      const war = await f.api('/api/war', { token: r.body.token });
      assert.equal(war.status, 200);
      assert.equal(war.body.me.id, 2001);
    });

    test('a factionless player is refused with 403 no_faction', async () => {
      const r = await f.api('/api/auth', { body: { apiKey: demoKey(2026) } });
      assert.equal(r.status, 403);
      assert.equal(r.body.error.code, 'no_faction');
    });

    test('a well-formed key Torn does not know is refused with 401 torn_key_rejected', async () => {
      const r = await f.api('/api/auth', { body: { apiKey: 'ZZZZ000000000000' } });
      assert.equal(r.status, 401);
      assert.equal(r.body.error.code, 'torn_key_rejected');
      assert.doesNotMatch(JSON.stringify(r.body), /ZZZZ000000000000/, 'the key is not echoed');
    });

    test('a key that is not 16 letters and digits is refused with 400 before asking Torn', async () => {
      const before = (await f.simControl('/__sim/stats')).total;
      for (const apiKey of ['abc', 'demo00000000200!', 12345, null, 'demo0000000020011']) {
        const r = await f.api('/api/auth', { body: { apiKey } });
        assert.equal(r.status, 400, String(apiKey));
        assert.equal(r.body.error.code, 'invalid_api_key_format');
      }
      assert.equal((await f.simControl('/__sim/stats')).total, before);
    });

    test('the stored key is encrypted: its plaintext is nowhere in the database', async () => {
      await f.signIn(2002);
      const rows = await f.db.query<{ t: string }>(`select row_to_json(k)::text as t from api_keys k`);
      assert.ok(rows.rows.length >= 1);
      for (const { t } of rows.rows) {
        assert.doesNotMatch(t, /demo0000000020/);
        assert.doesNotMatch(t, new RegExp(Buffer.from(demoKey(2002)).toString('hex')));
      }
      const sessions = await f.db.query<{ t: string }>(`select row_to_json(s)::text as t from sessions s`);
      assert.ok(sessions.rows.length >= 1);
    });

    test('a signed-out token no longer works, and a made-up token is 401 unauthorized', async () => {
      const token = await f.signIn(2003);
      assert.equal((await f.api('/api/auth', { method: 'DELETE', token })).status, 200);
      const r = await f.api('/api/war', { token });
      assert.equal(r.status, 401);
      assert.equal(r.body.error.code, 'unauthorized');
      assert.equal((await f.api('/api/war', { token: 'x'.repeat(43) })).status, 401);
      assert.equal((await f.api('/api/war')).status, 401);
    });

    test('an expired session is refused', async () => {
      const token = await f.signIn(2004);
      await f.db.query(`update sessions set expires_at = now() - interval '1 second' where player_id = 2004`);
      assert.equal((await f.api('/api/war', { token })).status, 401);
    });

    test("Torn's rate limit on the key is a 429, not a crash", async () => {
      await f.simControl(`/__sim/keys/${demoKey(2005)}/error`, { code: 5 });
      const r = await f.api('/api/auth', { body: { apiKey: demoKey(2005) } });
      await f.simControl(`/__sim/keys/${demoKey(2005)}/error`, { code: null });
      assert.equal(r.status, 429);
      assert.equal(r.body.error.code, 'torn_rate_limited');
    });
  });
}

describe('sign-in when Torn cannot be reached', () => {
  test('is a 503 torn_unavailable', async () => {
    const pglite = await pgliteBackend();
    const f = await startWarFixture(pglite);
    try {
      await f.sim.close();
      const r = await f.api('/api/auth', { body: { apiKey: demoKey(2001) } });
      assert.equal(r.status, 503);
      assert.equal(r.body.error.code, 'torn_unavailable');
    } finally {
      await f.close();
    }
  });
});
