// A key is stored and used only while its owner is signed in (the terms, src/protocol/terms.ts):
// counted by the simulator per key, so "not used" means Torn saw no request with it.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { backends, sharedBackends } from '../helpers/databases.js';
import { demoKey, startWarFixture, type WarFixture } from '../helpers/war-fixture.js';
import { startWarRead } from '../helpers/war-read.js';
import { SseClient } from '../helpers/stream-clients.js';
import { sleep, snapshotSeq } from '../helpers/calls.js';

/** Requests Torn has seen with this player's key. */
async function requestsBy(f: WarFixture, playerId: number): Promise<number> {
  return (await f.simControl('/__sim/stats')).byKey[demoKey(playerId)] ?? 0;
}

async function storedKeys(f: WarFixture, playerId: number): Promise<number> {
  return (await f.db.query<{ n: number }>('select count(*)::int as n from api_keys where player_id = $1', [playerId])).rows[0].n;
}

/** Forced syncs take keys least recently used first: a few rounds reach every key in the pool. */
async function syncRounds(f: WarFixture, rounds = 4): Promise<void> {
  for (let i = 0; i < rounds; i++) await f.sync(1001);
}

for (const backend of await backends()) {
  describe(`key lifecycle on ${backend.name}`, () => {
    let f: WarFixture;

    before(async () => {
      // 2001 stays signed in throughout, so the faction always has a key to poll with.
      ({ f } = await startWarRead(backend));
    });
    after(() => f.close());

    test('signing out of the last session deletes the key, and Torn sees no further request with it', async () => {
      const token = await f.signIn(2002);
      await syncRounds(f);
      assert.ok((await requestsBy(f, 2002)) > 1, 'the key was in the pool');

      const out = await f.api('/api/auth', { method: 'DELETE', token });
      assert.equal(out.status, 200);
      assert.deepEqual(out.body, { ok: true, keyStored: false });
      assert.equal(await storedKeys(f, 2002), 0);

      const before = await requestsBy(f, 2002);
      const others = await requestsBy(f, 2001);
      await syncRounds(f);
      assert.equal(await requestsBy(f, 2002), before, 'not one request after sign-out');
      assert.ok((await requestsBy(f, 2001)) > others, 'the faction was still polled, with the other key');
    });

    test('signing out of one of two sessions keeps the key in use; signing out of the other deletes it', async () => {
      const first = await f.signIn(2003);
      const second = await f.signIn(2003);
      const one = await f.api('/api/auth', { method: 'DELETE', token: first });
      assert.deepEqual(one.body, { ok: true, keyStored: true });
      const kept = await requestsBy(f, 2003);
      await syncRounds(f);
      assert.ok((await requestsBy(f, 2003)) > kept, 'still in the pool while signed in elsewhere');

      const two = await f.api('/api/auth', { method: 'DELETE', token: second });
      assert.deepEqual(two.body, { ok: true, keyStored: false });
      assert.equal(await storedKeys(f, 2003), 0);
      const gone = await requestsBy(f, 2003);
      await syncRounds(f);
      assert.equal(await requestsBy(f, 2003), gone);
    });

    test('DELETE /api/keys/me deletes the key and ends every session of the member at once, streams included', async () => {
      const token = await f.signIn(2004);
      const other = await f.signIn(2004);
      const sse = await SseClient.connect(f.server.url, { token: other, lastEventId: await snapshotSeq(f, other) });
      await syncRounds(f);
      assert.ok((await requestsBy(f, 2004)) > 0);

      const started = Date.now();
      const r = await f.api('/api/keys/me', { method: 'DELETE', token });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.deepEqual(r.body, { ok: true, keysDeleted: 1, sessionsEnded: 2 });
      for (const t of [token, other]) assert.equal((await f.api('/api/war', { token: t })).status, 401);
      while (!sse.closed) {
        assert.ok(Date.now() - started < 1000, 'the other session’s stream closed within 1 s');
        await sleep(20);
      }
      assert.equal(await storedKeys(f, 2004), 0);

      const before = await requestsBy(f, 2004);
      await syncRounds(f);
      assert.equal(await requestsBy(f, 2004), before, 'not one request after forgetting');
      assert.equal((await f.api('/api/keys/me', { method: 'DELETE', token })).status, 401, 'the token is gone too');
    });

    test('forgetting works for a member whose key Torn disabled, without a key_disabled answer first', async () => {
      const token = await f.signIn(2005);
      await f.db.query(`update api_keys set state = 'disabled', owner_notified_at = null where player_id = 2005`);
      const r = await f.api('/api/keys/me', { method: 'DELETE', token });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.keysDeleted, 1);
    });

    test('DELETE /api/keys/me takes the token from the Authorization header only', async () => {
      const token = await f.signIn(2006);
      const none = await f.api('/api/keys/me', { method: 'DELETE' });
      assert.equal(none.status, 401);
      assert.equal(none.body.error.code, 'unauthorized');
      assert.equal((await f.api(`/api/keys/me?token=${token}`, { method: 'DELETE' })).status, 401);
      assert.equal(await storedKeys(f, 2006), 1);
      assert.equal((await f.api('/api/auth', { method: 'DELETE', token })).status, 200);
    });

    test('TornPDA can only GET and POST: POST /api/auth/sign-out and POST /api/keys/me/forget do what the DELETEs do', async () => {
      const first = await f.signIn(2008);
      const second = await f.signIn(2008);
      const out = await f.api('/api/auth/sign-out', { method: 'POST', token: first });
      assert.equal(out.status, 200, JSON.stringify(out.body));
      assert.deepEqual(out.body, { ok: true, keyStored: true });
      assert.equal((await f.api('/api/war', { token: first })).status, 401, 'that session ended');
      assert.equal((await f.api('/api/auth/sign-out', { method: 'POST', token: first })).status, 401);

      const forgot = await f.api('/api/keys/me/forget', { method: 'POST', token: second });
      assert.equal(forgot.status, 200, JSON.stringify(forgot.body));
      assert.deepEqual(forgot.body, { ok: true, keysDeleted: 1, sessionsEnded: 1 });
      assert.equal(await storedKeys(f, 2008), 0);
      assert.equal((await f.api('/api/keys/me/forget', { method: 'POST' })).status, 401, 'the token comes from Authorization');
    });

    test('a member whose sessions expired is not polled with, and the sweep deletes the key', async () => {
      await f.signIn(2007);
      await f.db.query(`update sessions set expires_at = now() - interval '1 second' where player_id = 2007`);
      const before = await requestsBy(f, 2007);
      await syncRounds(f);
      assert.equal(await requestsBy(f, 2007), before, 'an expired session lends no key');
      const purged = await f.server.housekeeping.purgeNow();
      assert.ok(purged.keys >= 1, JSON.stringify(purged));
      assert.equal(await storedKeys(f, 2007), 0);
      assert.equal(await storedKeys(f, 2001), 1, 'a signed-in member keeps theirs');
    });
  });
}

for (const backend of await sharedBackends()) {
  describe(`sign-out racing a sign-in on ${backend.name}`, () => {
    let f: WarFixture;
    before(async () => {
      f = await startWarFixture(backend);
    });
    after(() => f.close());

    test('a session opened while the last one is signing out keeps the key', async () => {
      const token = await f.signIn(2010);
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      let locked!: () => void;
      const lockTaken = new Promise<void>((r) => (locked = r));
      // Another device signing in: it holds the player's row (as sign-in's upsert does) and adds a session.
      const signingIn = f.db.transaction(async (tx) => {
        await tx.query('update players set updated_at = now() where id = 2010');
        locked();
        await held;
        await tx.query(
          `insert into sessions (token_digest, player_id, faction_id, expires_at) values (sha256('other device'::bytea), 2010, 1001, now() + interval '1 day')`,
        );
      });
      await lockTaken;
      const out = f.api('/api/auth', { method: 'DELETE', token });
      await sleep(200);
      release();
      await signingIn;
      const r = await out;
      assert.equal(r.status, 200);
      assert.deepEqual(r.body, { ok: true, keyStored: true }, 'the sign-out saw the new session');
      assert.equal(await storedKeys(f, 2010), 1);
    });
  });
}
