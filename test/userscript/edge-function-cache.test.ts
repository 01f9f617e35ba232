import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { EdgeFunctionCache } from '../../src/client/core/edge-function-cache.js';

/** A fake clock and a fetcher whose answers the test releases by hand: no sleeps. */
function setup(options: ConstructorParameters<typeof EdgeFunctionCache>[0] = {}) {
  let now = 1_000_000;
  const clock = {
    advance: (ms: number) => {
      now += ms;
    },
  };
  const cache = new EdgeFunctionCache({ now: () => now, ...options });
  const pending: { resolve: (v: string) => void; reject: (e: Error) => void }[] = [];
  let calls = 0;
  const fetcher = () => {
    calls++;
    return new Promise<string>((resolve, reject) => pending.push({ resolve, reject }));
  };
  return { cache, clock, fetcher, pending, calls: () => calls };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('EdgeFunctionCache', () => {
  test('a fresh value is answered from memory until its TTL passes, then fetched again', async () => {
    const { cache, clock, fetcher, pending, calls } = setup({ ttlMs: 5000, staleMs: 0 });
    const first = cache.get('war', fetcher);
    pending[0].resolve('v1');
    assert.equal(await first, 'v1');
    clock.advance(4999);
    assert.equal(await cache.get('war', fetcher), 'v1');
    assert.equal(calls(), 1);
    assert.equal(cache.stats.hits, 1);
    clock.advance(1);
    const again = cache.get('war', fetcher);
    assert.equal(calls(), 2, 'expired: fetched again');
    pending[1].resolve('v2');
    assert.equal(await again, 'v2');
  });

  test('two callers of the same key while it is in flight share one request', async () => {
    const { cache, fetcher, pending, calls } = setup();
    const a = cache.get('war', fetcher);
    const b = cache.get('war', fetcher);
    const other = cache.get('calls', fetcher);
    assert.equal(calls(), 2, 'one request for war, one for calls');
    assert.equal(cache.stats.shared, 1);
    pending[0].resolve('war-1');
    pending[1].resolve('calls-1');
    assert.deepEqual(await Promise.all([a, b, other]), ['war-1', 'war-1', 'calls-1']);
  });

  test('a failed fetch is shared by its callers, not cached, and the next call fetches again', async () => {
    const { cache, fetcher, pending, calls } = setup();
    const a = cache.get('war', fetcher);
    const b = cache.get('war', fetcher);
    pending[0].reject(new Error('HTTP 503'));
    await assert.rejects(a, /HTTP 503/);
    await assert.rejects(b, /HTTP 503/);
    const c = cache.get('war', fetcher);
    assert.equal(calls(), 2);
    pending[1].resolve('ok');
    assert.equal(await c, 'ok');
  });

  test('a stale value is answered at once while one background request refreshes it', async () => {
    const { cache, clock, fetcher, pending, calls } = setup({ ttlMs: 1000, staleMs: 10_000 });
    const first = cache.get('war', fetcher);
    pending[0].resolve('old');
    await first;
    clock.advance(1500);
    assert.equal(await cache.get('war', fetcher), 'old', 'stale answered immediately');
    assert.equal(await cache.get('war', fetcher), 'old', 'still stale while the refresh runs');
    assert.equal(calls(), 2, 'one background refresh only');
    assert.equal(cache.stats.staleHits, 2);
    pending[1].resolve('new');
    await tick();
    assert.equal(await cache.get('war', fetcher), 'new');
    assert.equal(calls(), 2, 'the refreshed value is fresh');
  });

  test('a failed background refresh keeps the stale value and reports the error', async () => {
    const errors: unknown[] = [];
    const { cache, clock, fetcher, pending } = setup({ ttlMs: 1000, staleMs: 10_000, onRefreshError: (_k, e) => errors.push(e) });
    const first = cache.get('war', fetcher);
    pending[0].resolve('old');
    await first;
    clock.advance(2000);
    assert.equal(await cache.get('war', fetcher), 'old');
    pending[1].reject(new Error('network down'));
    await tick();
    assert.equal(errors.length, 1);
    assert.equal(cache.peek('war'), 'old');
    assert.equal(await cache.get('war', fetcher), 'old', 'served stale again, and a new refresh started');
    assert.equal(pending.length, 3);
  });

  test('a value past TTL + stale window is not served: callers wait for a fresh fetch', async () => {
    const { cache, clock, fetcher, pending, calls } = setup({ ttlMs: 1000, staleMs: 1000 });
    const first = cache.get('war', fetcher);
    pending[0].resolve('ancient');
    await first;
    clock.advance(2000);
    assert.equal(cache.peek('war'), undefined);
    const p = cache.get('war', fetcher);
    assert.equal(calls(), 2);
    pending[1].resolve('current');
    assert.equal(await p, 'current');
  });

  test('a target_call event invalidates the cached snapshot and calls, not unrelated keys', async () => {
    const { cache, fetcher, pending, calls } = setup({ invalidateOn: { target_call: ['war', 'calls'] } });
    cache.set('war', 'snap-1');
    cache.set('calls:1001', 'calls-1');
    cache.set('me', 'me-1');
    assert.equal(cache.onEvent('target_call'), 2);
    assert.equal(cache.onEvent('war_summary'), 0, 'an event with no rule drops nothing');
    assert.equal(cache.peek('war'), undefined);
    assert.equal(cache.peek('calls:1001'), undefined);
    assert.equal(cache.peek('me'), 'me-1');
    const p = cache.get('war', fetcher);
    assert.equal(calls(), 1);
    pending[0].resolve('snap-2');
    assert.equal(await p, 'snap-2');
  });

  test('a fetch in flight when its key is invalidated is not cached nor shared with later callers', async () => {
    const { cache, fetcher, pending, calls } = setup({ invalidateOn: { target_call: ['war'] } });
    const before = cache.get('war', fetcher);
    cache.onEvent('target_call');
    const after = cache.get('war', fetcher);
    assert.equal(calls(), 2, 'the caller after the event does not join the older request');
    pending[0].resolve('before-the-call');
    pending[1].resolve('after-the-call');
    assert.equal(await before, 'before-the-call', 'the earlier caller still gets its answer');
    assert.equal(await after, 'after-the-call');
    assert.equal(cache.peek('war'), 'after-the-call');
    // And in the other order: the old answer arriving last must not overwrite the new one.
    const old = cache.get('war:x', fetcher);
    cache.invalidate('war:x');
    const fresh = cache.get('war:x', fetcher);
    pending[3].resolve('fresh');
    await fresh;
    pending[2].resolve('old');
    await old;
    assert.equal(cache.peek('war:x'), 'fresh');
  });

  test('set() stores a known-current value that beats an older fetch still in flight', async () => {
    const { cache, fetcher, pending } = setup();
    const p = cache.get('war', fetcher);
    cache.set('war', 'from-write');
    pending[0].resolve('from-read');
    await p;
    assert.equal(cache.peek('war'), 'from-write');
  });

  test('per-call TTL overrides the default, and the least recently used entry is evicted past maxEntries', async () => {
    const { cache, clock, fetcher, pending, calls } = setup({ ttlMs: 1000, staleMs: 0, maxEntries: 2 });
    const a = cache.get('a', fetcher, { ttlMs: 60_000 });
    pending[0].resolve('A');
    await a;
    clock.advance(30_000);
    assert.equal(await cache.get('a', fetcher), 'A', 'still fresh under its own TTL');
    cache.set('b', 'B');
    await cache.get('a', fetcher); // a is now the most recently used
    cache.set('c', 'C');
    assert.equal(cache.size, 2);
    assert.equal(cache.peek('b'), undefined, 'b was least recently used');
    assert.equal(cache.peek('a'), 'A');
    assert.equal(calls(), 1);
  });
});
