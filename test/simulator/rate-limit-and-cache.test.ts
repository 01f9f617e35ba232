// Torn's two limits that shape every client: 100 requests a minute per player, 29-second cache.
// Federal is used to mark a change because the scenario never puts anyone there on its own.
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { keyOf, openSimulator, type SimHandle } from './helpers.js';

let h: SimHandle;
before(async () => {
  h = await openSimulator({ dynamic: false });
});
after(() => h.sim.close());
beforeEach(() => h.control('POST', '/__sim/reset'));

test('the 101st request within 60 seconds from one player is error 5, Too many requests', async () => {
  const key = keyOf(2001);
  for (let i = 1; i <= 100; i++) {
    const body = await h.torn(`/v2/user/basic?key=${key}`);
    assert.equal(body.error, undefined, `request ${i} is allowed`);
  }
  assert.deepEqual(await h.torn(`/v2/user/basic?key=${key}`), { error: { code: 5, error: 'Too many requests' } });
  // v1 and v2, cached or not: the limit is the player's.
  assert.equal((await h.torn(`/user/?selections=profile&key=${key}`)).error.code, 5);
});

test('another player is not held back by one player reaching the limit', async () => {
  for (let i = 0; i < 100; i++) await h.torn(`/v2/user/basic?key=${keyOf(2001)}`);
  assert.equal((await h.torn(`/v2/user/basic?key=${keyOf(2001)}`)).error.code, 5);
  assert.equal((await h.torn(`/v2/user/basic?key=${keyOf(2002)}`)).profile.id, 2002);
});

test('the limit is a rolling minute: once it has passed the player gets through again', async () => {
  for (let i = 0; i < 100; i++) await h.torn(`/v2/user/basic?key=${keyOf(2001)}`);
  assert.equal((await h.torn(`/v2/user/basic?key=${keyOf(2001)}`)).error.code, 5);
  await h.control('POST', '/__sim/clock', { advance: 61 });
  assert.equal((await h.torn(`/v2/user/basic?key=${keyOf(2001)}`)).profile.id, 2001);
});

test('an identical request within 29 seconds gets the cached body, whoever asks', async () => {
  const path = '/v2/faction/1002/members';
  const first = await h.tornText(`${path}?key=${keyOf(2001)}`);
  await h.control('POST', '/__sim/players/3001/status', { state: 'Federal', until: h.sim.now() + 600 });
  const again = await h.tornText(`${path}?key=${keyOf(2002)}&comment=other`);
  assert.equal(again, first, 'same body byte for byte, the change not yet visible');
  const members = JSON.parse(again).members;
  assert.notEqual(members.find((m: { id: number }) => m.id === 3001).status.state, 'Federal');
});

test('a timestamp parameter bypasses the cache', async () => {
  const path = `/v2/faction/1002/members?key=${keyOf(2001)}`;
  await h.torn(path);
  await h.control('POST', '/__sim/players/3002/status', { state: 'Federal', until: h.sim.now() + 600 });
  const fresh = await h.torn(`${path}&timestamp=${h.sim.now()}`);
  assert.equal(fresh.members.find((m: { id: number }) => m.id === 3002).status.state, 'Federal');
});

test('the cache window ends after 29 seconds', async () => {
  const path = `/v2/faction/1002/members?key=${keyOf(2001)}`;
  await h.torn(path);
  await h.control('POST', '/__sim/players/3003/status', { state: 'Federal', until: h.sim.now() + 600 });
  await h.control('POST', '/__sim/clock', { advance: 28 });
  assert.notEqual((await h.torn(path)).members.find((m: { id: number }) => m.id === 3003).status.state, 'Federal');
  await h.control('POST', '/__sim/clock', { advance: 2 });
  assert.equal((await h.torn(path)).members.find((m: { id: number }) => m.id === 3003).status.state, 'Federal');
});

test("the cache never hands one faction another faction's own-faction answer", async () => {
  const ours = await h.torn(`/v2/faction/members?key=${keyOf(2001)}`);
  const theirs = await h.torn(`/v2/faction/members?key=${keyOf(3001)}`);
  assert.equal(ours.members[0].id, 2001);
  assert.equal(theirs.members[0].id, 3001);
});

test('cached and refused requests count in the stats like any other', async () => {
  const path = `/v2/faction/wars?key=${keyOf(2001)}`;
  for (let i = 0; i < 3; i++) await h.torn(path);
  await h.torn('/v2/faction/wars?key=bad');
  const stats = await h.control('GET', '/__sim/stats');
  assert.equal(stats.total, 4);
  assert.equal(stats.byEndpoint['/v2/faction/wars'], 4);
  assert.deepEqual(stats.byKey, { [keyOf(2001)]: 3, bad: 1 });
});
