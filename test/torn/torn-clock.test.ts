import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TornClock } from '../../src/torn/index.js';

test('until Torn answers, Torn time is this node’s time', () => {
  const clock = new TornClock(() => 1_000_000);
  assert.equal(clock.offsetMs, 0);
  assert.equal(clock.now(), 1000);
  assert.equal(clock.fromDatabase(1234), 1234);
  assert.equal(clock.learnedAtMs, 0);
});

test('an answer of Torn sets the offset within the second it stands for, and agreeing answers narrow it', () => {
  let local = 10_000_000;
  const clock = new TornClock(() => local);
  // Torn is one hour ahead; its whole-second stamp was taken somewhere in a 200 ms round trip.
  clock.learnTorn(10_000 + 3600, local - 200, local);
  assert.ok(Math.abs(clock.offsetMs - 3_600_000) <= 600, `offset ${clock.offsetMs}`);
  assert.equal(clock.now(), 10_000 + 3600);
  local += 60_000;
  clock.learnTorn(10_060 + 3600, local - 10, local);
  assert.ok(Math.abs(clock.offsetMs - 3_600_000) <= 510, `offset ${clock.offsetMs} after a second answer`);
  assert.equal(clock.toLocalMs(clock.nowMs()), local);
});

test('a clock that jumped (the simulator advanced) replaces what was known', () => {
  let local = 5_000_000;
  const clock = new TornClock(() => local);
  clock.learnTorn(5000, local - 50, local);
  assert.ok(Math.abs(clock.offsetMs) <= 1000);
  local += 1000;
  clock.learnTorn(5001 + 600, local - 50, local);
  assert.ok(Math.abs(clock.offsetMs - 600_000) <= 1000, `offset ${clock.offsetMs}`);
});

test('database times move to Torn time by the same whole seconds, so differences stay exact', () => {
  const local = 7_000_000;
  const clock = new TornClock(() => local);
  clock.learnTorn(7000 + 90, local - 20, local);
  // The database's clock runs 30 s ahead of this node's.
  clock.learnDatabase(local + 30_000, local - 4, local);
  const shift = clock.fromDatabase(100) - 100;
  assert.ok(Math.abs(shift - 60) <= 1, `database times move by ${shift} s (Torn is 90 s ahead of us, the database 30 s)`);
  assert.equal(clock.fromDatabase(1000) - clock.fromDatabase(100), 900);
});
