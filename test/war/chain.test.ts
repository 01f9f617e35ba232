// The chain's bonus ladder and the reading of Torn's cooldown, both ways Torn has written it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CHAIN_BONUSES, chainFromTorn, nextBonus } from '../../src/war/chain.js';

test('the next bonus is the first bonus hit above the current count', () => {
  assert.deepEqual(
    [0, 9, 10, 24, 25, 99, 100, 2499, 99_999, 100_000].map(nextBonus),
    [10, 10, 25, 25, 50, 100, 250, 2500, 100_000, 100_000],
  );
  assert.equal(CHAIN_BONUSES.length, 13);
});

test("Torn's cooldown becomes seconds left, from a timestamp (the spec) or from seconds (v1 and the chain bar)", () => {
  const raw = { id: 1, current: 30, max: 50, timeout: 120, modifier: 1.2, start: 1_799_999_000, end: 0 };
  const at = 1_800_000_000;
  assert.equal(chainFromTorn(1001, { ...raw, cooldown: at + 900 }, at).cooldown, 900);
  assert.equal(chainFromTorn(1001, { ...raw, cooldown: at - 5 }, at).cooldown, 0, 'a cooldown that ended is none');
  assert.equal(chainFromTorn(1001, { ...raw, cooldown: 900 }, at).cooldown, 900);
  assert.equal(chainFromTorn(1001, { ...raw, cooldown: 0 }, at).cooldown, 0);
  assert.deepEqual(chainFromTorn(1001, { ...raw, cooldown: 0 }, at), {
    factionId: 1001,
    current: 30,
    max: 50,
    timeout: 120,
    cooldown: 0,
    modifier: 1.2,
    start: 1_799_999_000,
    end: 0,
    at,
    nextBonus: 50,
  });
});
