import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KeyBudget } from '../../src/sync/key-budget.js';
import { Backoff } from '../../src/sync/backoff.js';

test('a key budget counts uses in a sliding window, not a fixed minute', () => {
  const b = new KeyBudget(3, 60_000);
  b.record(1, 0);
  b.record(1, 30_000);
  b.record(1, 59_000);
  assert.equal(b.remaining(1, 59_500), 0);
  assert.equal(b.availableAt(1, 59_500), 60_001, 'free again once the oldest use leaves the window');
  assert.equal(b.remaining(1, 60_001), 1);
  assert.equal(b.remaining(2, 0), 3, 'keys are counted apart');
});

test('uses seeded from another node merge with ours without counting twice', () => {
  const b = new KeyBudget(5, 60_000);
  b.record(7, 1000);
  b.seed(7, [1000, 2000, 3000]);
  assert.deepEqual(b.uses(7, 4000), [1000, 2000, 3000]);
  b.forget(7);
  assert.equal(b.remaining(7, 4000), 5);
});

test('the back-off doubles from its base up to its ceiling, with jitter in the upper half, and a success resets it', () => {
  let r = 0;
  const b = new Backoff(1000, 8000, () => r);
  assert.equal(b.fail(0), 500);
  assert.equal(b.fail(0), 1000);
  r = 1;
  assert.equal(b.fail(0), 4000);
  assert.equal(b.fail(0), 8000);
  assert.equal(b.fail(0), 8000, 'never past the ceiling');
  assert.equal(b.level, 5);
  assert.equal(b.blocked(7999), true);
  assert.equal(b.blocked(8000), false, 'resumes by itself: the next try is the probe');
  b.succeed();
  assert.equal(b.level, 0);
  assert.equal(b.blocked(0), false);
});
