// Torn's clock as /v2/torn/timestamp gives it, and a player holding several keys.
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { demoKeyFor } from '../../src/simulator/index.js';
import { keyOf, openSimulator, type SimHandle } from './helpers.js';

let h: SimHandle;
before(async () => {
  h = await openSimulator({ dynamic: false });
});
after(() => h.sim.close());
beforeEach(() => h.control('POST', '/__sim/reset'));

test("torn/timestamp gives the simulator's clock, advance included, and never a cached time", async () => {
  const first = await h.torn(`/v2/torn/timestamp?key=${keyOf(2001)}`);
  assert.equal(first.timestamp, h.sim.now());
  assert.ok(Math.abs(first.timestamp - Date.now() / 1000) < 5, 'real time before any advance');
  const advanced = (await h.control('POST', '/__sim/clock', { advance: 3600 })).now as number;
  const second = await h.torn(`/v2/torn/timestamp?key=${keyOf(2001)}`);
  assert.ok(second.timestamp >= advanced && second.timestamp - advanced < 5, `${second.timestamp} vs ${advanced}`);
});

test('torn/timestamp needs a key like every Torn request, and counts against its player', async () => {
  assert.equal((await h.torn('/v2/torn/timestamp')).error.code, 1);
  assert.equal((await h.torn('/v2/torn/timestamp?key=notAKey000000000')).error.code, 2);
  assert.equal((await h.torn(`/v2/torn/nothing?key=${keyOf(2001)}`)).error.code, 4);
  assert.equal((await h.control('GET', '/__sim/stats')).byEndpoint['/v2/torn/timestamp'], 2);
});

test("a player's other keys are his: the same owner, and one limit of 100 a minute across them", async () => {
  const second = demoKeyFor(2001, 1);
  assert.equal(second, 'alt1000000002001');
  assert.equal((await h.torn(`/v2/key/info?key=${second}`)).info.user.id, 2001);
  // key/info above was the first of the player's 100.
  for (let i = 0; i < 49; i++) await h.torn(`/v2/user/basic?key=${keyOf(2001)}`);
  for (let i = 0; i < 50; i++) assert.equal((await h.torn(`/v2/user/basic?key=${second}`)).error, undefined);
  assert.equal((await h.torn(`/v2/user/basic?key=${second}`)).error.code, 5, 'the 101st request of the player, whichever key');
  assert.equal((await h.torn(`/v2/user/basic?key=${keyOf(2001)}`)).error.code, 5);
  assert.equal((await h.torn(`/v2/user/basic?key=${keyOf(2002)}`)).error, undefined, 'another player is not held back');
});
