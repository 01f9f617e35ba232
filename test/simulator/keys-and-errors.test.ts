// How the simulator treats keys and bad requests, the Torn way: HTTP 200 and an error object.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { keyOf, openSimulator, type SimHandle } from './helpers.js';

let h: SimHandle;
before(async () => {
  h = await openSimulator({ dynamic: false });
});
after(() => h.sim.close());

test('each demo key is demo plus the player id padded to 16 characters and belongs to that player', async () => {
  assert.equal(keyOf(2001), 'demo000000002001');
  assert.equal(keyOf(2001).length, 16);
  const info = await h.torn('/v2/key/info?key=demo000000002001');
  assert.deepEqual(info.info.user, { id: 2001, faction_id: 1001, company_id: null });
  const enemy = await h.torn('/v2/user/basic?key=demo000000003025');
  assert.equal(enemy.profile.id, 3025);
});

test('a request without a key is error 1, Key is empty', async () => {
  assert.deepEqual(await h.torn('/v2/user/basic'), { error: { code: 1, error: 'Key is empty' } });
  assert.deepEqual(await h.torn('/user/?selections=profile&key='), { error: { code: 1, error: 'Key is empty' } });
});

test('a malformed or unknown key is error 2, Incorrect key', async () => {
  for (const key of ['demo2001', 'demo00000000200', 'demo000000009999', 'ABCDEFGHIJKLMNOP', 'demo0000000020011']) {
    assert.deepEqual(await h.torn(`/v2/user/basic?key=${key}`), { error: { code: 2, error: 'Incorrect key' } }, key);
  }
  assert.equal((await h.torn('/faction/?selections=basic&key=nope')).error.code, 2);
});

test('v2 takes the key from the Authorization ApiKey header too, v1 does not', async () => {
  const headers = { authorization: `ApiKey ${keyOf(2004)}` };
  assert.equal((await h.torn('/v2/user/basic', { headers })).profile.id, 2004);
  assert.equal((await h.torn('/user/?selections=profile', { headers })).error.code, 1);
});

test('a comment parameter is accepted and ignored', async () => {
  const body = await h.torn(`/v2/user/basic?key=${keyOf(2005)}&comment=TornCat`);
  assert.equal(body.profile.id, 2005);
});

test('v2 reads id and selections from the query as well as from the path', async () => {
  const byPath = await h.torn(`/v2/faction/1002/members?key=${keyOf(2001)}`);
  const byQuery = await h.torn(`/v2/faction?selections=members&id=1002&key=${keyOf(2001)}`);
  assert.deepEqual(byQuery, byPath);
  assert.equal(byPath.members.length, 25);
});

test('an unknown id is error 6, an unknown selection 4, an unknown section 3', async () => {
  const key = keyOf(2001);
  assert.deepEqual(await h.torn(`/v2/faction/4242/members?key=${key}`), { error: { code: 6, error: 'Incorrect ID' } });
  assert.equal((await h.torn(`/v2/user/4242/basic?key=${key}`)).error.code, 6);
  assert.equal((await h.torn(`/user/4242?selections=profile&key=${key}`)).error.code, 6);
  assert.equal((await h.torn(`/faction/abc?selections=basic&key=${key}`)).error.code, 6);
  assert.deepEqual(await h.torn(`/v2/faction/armory?key=${key}`), { error: { code: 4, error: 'Wrong fields' } });
  assert.equal((await h.torn(`/user/?selections=bazaar&key=${key}`)).error.code, 4);
  assert.deepEqual(await h.torn(`/v2/company/1/profile?key=${key}`), { error: { code: 3, error: 'Wrong type' } });
});

test('player 2026 has no faction: his own data works, his faction endpoints are error 6', async () => {
  const key = keyOf(2026);
  const info = await h.torn(`/v2/key/info?key=${key}`);
  assert.equal(info.info.user.id, 2026);
  assert.equal(info.info.user.faction_id, null);
  assert.equal((await h.torn(`/v2/user/basic?key=${key}`)).profile.id, 2026);
  const profile = await h.torn(`/user/?selections=profile&key=${key}`);
  assert.equal(profile.player_id, 2026);
  assert.equal(profile.faction.faction_id, 0);
  for (const path of [
    '/v2/faction/members',
    '/v2/faction/wars',
    '/v2/faction/rankedwars',
    '/faction/?selections=basic',
    '/faction/?selections=rankedwars',
  ]) {
    const sep = path.includes('?') ? '&' : '?';
    assert.deepEqual(await h.torn(`${path}${sep}key=${key}`), { error: { code: 6, error: 'Incorrect ID' } }, path);
  }
  // He can still look at other factions, as any player can.
  assert.equal((await h.torn(`/v2/faction/1001/members?key=${key}`)).members.length, 25);
});

test('the faction endpoints without an id answer for the key owner faction', async () => {
  const own = await h.torn(`/v2/faction/members?key=${keyOf(2010)}`);
  assert.deepEqual(
    own.members.map((m: { id: number }) => m.id),
    Array.from({ length: 25 }, (_, i) => 2001 + i),
  );
  const theirs = await h.torn(`/v2/faction/members?key=${keyOf(3010)}`);
  assert.deepEqual(
    theirs.members.map((m: { id: number }) => m.id),
    Array.from({ length: 25 }, (_, i) => 3001 + i),
  );
});

test('a browser preflight for the Authorization header is allowed and not counted as a request', async () => {
  const before = (await h.control('GET', '/__sim/stats')).total;
  const res = await fetch(`${h.sim.url}/v2/faction/members`, { method: 'OPTIONS' });
  assert.equal(res.status, 204);
  assert.match(res.headers.get('access-control-allow-headers') ?? '', /Authorization/);
  assert.equal((await h.control('GET', '/__sim/stats')).total, before);
});
