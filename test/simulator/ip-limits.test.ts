// Torn's limits on an address, as the simulator plays them: an IP block (every key from the address
// gets error 8 until it lifts) and the per-IP limit of 1,000 requests a minute (over it, error 8 too).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { keyOf, openSimulator, type SimHandle } from './helpers.js';
import { assertValid, errorValidator } from '../helpers/torn-spec.js';

let h: SimHandle;
let n = 0;
before(async () => {
  h = await openSimulator({ dynamic: false });
});
after(() => h.sim.close());

/** A fresh request (Torn's `timestamp` skips its cache) with the given key. */
const ask = (key: string) => h.torn(`/v2/user/basic?key=${key}&timestamp=${++n}`);

test('an IP block answers every key with error 8 until it lifts, whoever owns the key, and lifts on its own', async () => {
  const { now } = await h.control('GET', '/__sim/clock');
  const { blockedUntil } = await h.control('POST', '/__sim/ip-block', { seconds: 90 });
  assert.ok(blockedUntil >= now + 90 && blockedUntil <= now + 91, `blocked until ${blockedUntil}, now ${now}`);
  assert.deepEqual(await h.control('GET', '/__sim/ip-block'), { blockedUntil });
  for (const key of [keyOf(2001), keyOf(3001), 'nobody0000000000', '']) {
    const body = await h.torn(`/v2/faction/members?key=${key}&timestamp=${++n}`);
    assert.equal(body.error?.code, 8, `key "${key}": ${JSON.stringify(body)}`);
    assertValid(errorValidator, body, 'the IP block error');
  }
  await h.control('POST', '/__sim/clock', { advance: 60 });
  assert.equal((await ask(keyOf(2001))).error?.code, 8, 'still blocked a minute later');
  await h.control('POST', '/__sim/clock', { advance: 31 });
  assert.equal((await ask(keyOf(2001))).profile?.id, 2001, 'the block is over');
  assert.deepEqual(await h.control('GET', '/__sim/ip-block'), { blockedUntil: null });
});

test('a block can be lifted early, and bad input is a 400 naming the field', async () => {
  await h.control('POST', '/__sim/ip-block', { seconds: 3600 });
  assert.equal((await ask(keyOf(2002))).error?.code, 8);
  assert.deepEqual(await h.control('POST', '/__sim/ip-block', { seconds: 0 }), { blockedUntil: null });
  assert.equal((await ask(keyOf(2002))).profile?.id, 2002);
  assert.match((await h.control('POST', '/__sim/ip-block', { seconds: -1 }, 400)).error, /seconds/);
  assert.match((await h.control('POST', '/__sim/ip-block', { minutes: 1 }, 400)).error, /minutes/);
  assert.match((await h.control('POST', '/__sim/ip-limit', { perMinute: 0 }, 400)).error, /perMinute/);
});

test('the per-IP limit counts every key from the address together; over it, error 8 until the minute rolls on', async () => {
  assert.deepEqual(await h.control('GET', '/__sim/ip-limit'), { perMinute: null, torn: 1000 });
  assert.deepEqual(await h.control('POST', '/__sim/ip-limit', { perMinute: 6 }), { perMinute: 6 });
  // Six requests from three players (well under each player's own 100): the address's whole minute.
  for (const id of [2001, 2002, 2003, 2001, 2002, 2003]) assert.equal((await ask(keyOf(id))).profile?.id, id);
  for (const id of [2001, 3001]) assert.equal((await ask(keyOf(id))).error?.code, 8, `the 7th request, key of ${id}`);
  await h.control('POST', '/__sim/clock', { advance: 61 });
  assert.equal((await ask(keyOf(3001))).profile?.id, 3001, 'a minute later the address may ask again');
  // Torn's own figure, then off again: a reset restores the default.
  assert.deepEqual(await h.control('POST', '/__sim/ip-limit', { perMinute: 1000 }), { perMinute: 1000 });
  await h.control('POST', '/__sim/reset');
  assert.deepEqual(await h.control('GET', '/__sim/ip-limit'), { perMinute: null, torn: 1000 });
});
