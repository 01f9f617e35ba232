import assert from 'node:assert/strict';
import type { WarFixture } from './war-fixture.js';
import type { StreamEvent } from './stream-clients.js';

/**
 * Makes exactly `n` call changes on `targetId` in one POST /api/calls, alternating call and
 * release (starting with whichever changes something: release when the member holds it), each op
 * its own transaction and so its own event. Returns the seq after the last.
 */
export async function makeChanges(f: WarFixture, token: string, n: number, targetId = 3010): Promise<number> {
  const snap = await f.api('/api/war', { token });
  const held = (snap.body.calls as any[]).some((c) => c.targetId === targetId && c.callerId === snap.body.me.id);
  const ops = Array.from({ length: n }, (_, i) => ({ op: (i % 2 === 0) !== held ? 'call' : 'release', targetId }));
  const r = await f.api('/api/calls', { token, body: { ops } });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  for (const [i, res] of (r.body.results as any[]).entries()) assert.equal(res.ok, true, `op ${i}: ${JSON.stringify(res)}`);
  assert.equal(r.body.seq, snap.body.seq + n, 'each op is one event (run makeChanges when nobody else writes)');
  return r.body.seq;
}

/** The faction's seq as its snapshot reports it. */
export async function snapshotSeq(f: WarFixture, token: string): Promise<number> {
  const r = await f.api('/api/war', { token });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body.seq;
}

/** Asserts `events` are exactly ids from+1 … to, in order, each once. */
export function assertContiguous(events: readonly Pick<StreamEvent, 'id'>[], from: number, to: number): void {
  assert.deepEqual(
    events.map((e) => e.id),
    Array.from({ length: to - from }, (_, i) => from + 1 + i),
  );
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
