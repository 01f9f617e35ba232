import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Backoff, backoffDelay } from '../../src/backoff.js';

// src/backoff.ts is shared by the browser clients (tested here) and, later, the server's retry loops.
describe('backoff', () => {
  const low = () => 0;
  const high = () => 0.999_999;

  test('each wait is drawn from the upper half of a ceiling that doubles up to maxMs', () => {
    const o = { baseMs: 1000, maxMs: 30_000 };
    assert.deepEqual(
      [0, 1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, { ...o, random: low })),
      [500, 1000, 2000, 4000, 8000, 15_000, 15_000],
    );
    assert.deepEqual(
      [0, 1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, { ...o, random: high })),
      [1000, 2000, 4000, 8000, 16_000, 30_000, 30_000],
    );
    for (let n = 0; n < 50; n++) {
      const d = backoffDelay(n, o);
      assert.ok(d >= Math.min(30_000, 1000 * 2 ** n) / 2 && d <= 30_000, `attempt ${n}: ${d}`);
    }
  });

  test('huge or odd attempts never give Infinity, NaN or less than half the base', () => {
    assert.equal(backoffDelay(10_000, { baseMs: 100, maxMs: Infinity, random: low }), 100 * 2 ** 29);
    assert.equal(backoffDelay(-3, { baseMs: 100, maxMs: 1000, random: low }), 50);
    assert.equal(backoffDelay(2.7, { baseMs: 100, maxMs: 1000, random: low }), 200);
    assert.equal(backoffDelay(0, { baseMs: 0, maxMs: 0, random: high }), 1);
  });

  test('Backoff counts failures in a row, holds off until the wait is over, and starts over on success', () => {
    const b = new Backoff({ baseMs: 1000, maxMs: 300_000, random: low });
    assert.equal(b.blocked(0), false);
    assert.equal(b.fail(10_000), 500);
    assert.equal(b.fail(10_000), 1000);
    assert.equal(b.level, 2);
    assert.equal(b.until, 11_000);
    assert.equal(b.blocked(10_999), true);
    assert.equal(b.blocked(11_000), false);
    b.succeed();
    assert.equal(b.level, 0);
    assert.equal(b.fail(0), 500, 'from the start again');
  });
});
