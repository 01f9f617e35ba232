import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RequestBudget } from '../../src/sync/request-budget.js';

test('a budget counts uses in a sliding window, not a fixed minute', () => {
  const b = new RequestBudget(3, 60_000);
  b.record(1, 0);
  b.record(1, 30_000);
  b.record(1, 59_000);
  assert.equal(b.remaining(1, 59_500), 0);
  assert.equal(b.availableAt(1, 59_500), 60_001, 'free again once the oldest use leaves the window');
  assert.equal(b.remaining(1, 60_001), 1);
  assert.equal(b.remaining(2, 0), 3, 'ids are counted apart');
});

test('uses seeded from another node merge with ours without counting twice', () => {
  const b = new RequestBudget(5, 60_000);
  b.record(7, 1000);
  b.seed(7, [1000, 2000, 3000]);
  assert.deepEqual(b.uses(7, 4000), [1000, 2000, 3000]);
  b.forget(7);
  assert.equal(b.remaining(7, 4000), 5);
});

test('counts give the uses of every id still in the window, and only those', () => {
  const b = new RequestBudget(10, 1000);
  b.record(1, 0);
  b.record(1, 500);
  b.record(2, 100);
  assert.deepEqual(Object.fromEntries(b.counts(900)), { 1: 2, 2: 1 });
  assert.deepEqual(Object.fromEntries(b.counts(1120)), { 1: 1 }, 'what left the window is not counted');
});
