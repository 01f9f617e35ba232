import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { WarEvent } from '../../src/protocol/events.js';
import type { Snapshot } from '../../src/protocol/snapshot.js';
import { formatCountdown } from '../../src/client/core/duration-text.js';
import { WarState } from '../../src/client/core/war-state.js';

const snapshot = (seq: number): Snapshot => ({
  seq,
  me: { id: 2001, name: 'Me', keyStatus: 'active', canMark: false },
  war: {
    id: 5001,
    factionId: 1001,
    enemy: { id: 1002, name: 'Rivals' },
    start: 0,
    end: null,
    target: 4000,
    winner: null,
    scores: { 1001: 10, 1002: 20 },
    active: true,
    phase: 'active',
  },
  scoreHistory: [],
  summary: {
    warId: 5001,
    scores: { 1001: 10, 1002: 20 },
    counts: { total: 2, okay: 1, hospital: 1, traveling: 0, jail: 0, other: 0, calls: 0 },
    nextExits: [{ targetId: 3002, name: 'B', until: 1_000_100 }],
  },
  targets: [
    {
      id: 3001,
      name: 'A',
      level: 1,
      status: { state: 'Okay', description: 'Okay', details: '', until: null },
      lastAction: { status: 'Online', timestamp: 0 },
      isRevivable: null,
      hasEarlyDischarge: null,
      travel: null,
      hospitalCountry: null,
      earlyExitAt: null,
      links: { profile: '', attack: '' },
    },
    {
      id: 3002,
      name: 'B',
      level: 2,
      status: { state: 'Hospital', description: '', details: '', until: 1_000_100 },
      lastAction: { status: 'Offline', timestamp: 0 },
      isRevivable: null,
      hasEarlyDischarge: null,
      travel: null,
      hospitalCountry: null,
      earlyExitAt: null,
      links: { profile: '', attack: '' },
    },
  ],
  calls: [],
  chain: null,
  enemyChain: null,
  marks: [],
  assists: [],
  watches: [],
  sync: { firstReadDone: true, problem: null },
  serverTime: 1_000_000,
});
const call = (id: number, targetId: number, state: 'called' | 'released' = 'called'): WarEvent => ({
  id,
  event: 'target_call',
  data: {
    warId: 5001,
    targetId,
    targetName: 'x',
    callerId: 2002,
    callerName: 'Other',
    state,
    at: 0,
    expiresAt: 900,
    waitingForExit: false,
  },
});
/** An event whose data is only partly given: what the model must cope with from the network. */
const partial = (id: number, event: WarEvent['event'], data: object) => ({ id, event, data }) as WarEvent;

describe('WarState', () => {
  test('applies each next event once and ignores replays', () => {
    const s = new WarState();
    s.loadSnapshot(snapshot(10), 0);
    assert.equal(s.apply(call(10, 3001)), 'duplicate', 'the snapshot already holds it');
    assert.equal(s.apply(call(11, 3001)), 'applied');
    assert.equal(s.apply(call(11, 3001)), 'duplicate');
    assert.equal(s.calls.get(3001)?.callerName, 'Other');
    assert.equal(s.apply(call(12, 3001, 'released')), 'applied');
    assert.equal(s.calls.size, 0);
    assert.equal(s.seq, 12);
    assert.equal(s.eventsApplied, 2);
  });

  test('a gap, a reset, a new war or an unknown target asks for a fresh snapshot', () => {
    const s = new WarState();
    s.loadSnapshot(snapshot(10), 0);
    assert.equal(s.apply(call(12, 3001)), 'resnapshot');
    assert.equal(s.apply(partial(11, 'reset', {})), 'resnapshot');
    assert.equal(s.apply(partial(11, 'war', { warId: 5002 })), 'resnapshot');
    assert.equal(s.apply(partial(11, 'target_status', { warId: 5001, targetId: 3999, state: 'Okay' })), 'resnapshot');
    assert.equal(s.seq, 10, 'nothing applied');
  });

  test("countdowns run on the server's clock, whatever the local clock says", () => {
    const s = new WarState();
    s.loadSnapshot(snapshot(1), 5_000_000_000); // local clock far ahead of the server's
    const b = s.rows(5_000_000_000).find((r) => r.target.id === 3002);
    assert.equal(b?.remaining, 100);
    assert.equal(s.rows(5_000_040_000).find((r) => r.target.id === 3002)?.remaining, 60);
    assert.equal(formatCountdown(60), '1:00');
    assert.equal(formatCountdown(3725), '1:02:05');
    assert.deepEqual(
      s.nextOut(5, 5_000_000_000).map((r) => r.target.id),
      [3002],
    );
    assert.equal(s.counts(5_000_000_000).callable, 1);
    assert.equal(s.counts(5_000_100_000).callable, 2, 'out of hospital once the time is up');
  });
});

describe('WarState: calls of ours before the server answers', () => {
  const mine = (targetId: number, state: 'called' | 'released' = 'called') => ({
    targetId,
    targetName: 'A',
    callerId: 2001,
    callerName: 'Me',
    state,
    at: 1_000_000,
    expiresAt: 1_000_900,
    waitingForExit: false,
  });

  test('a call shows as ours at once, dated on the server clock, and the answer then stands', () => {
    const s = new WarState();
    s.loadSnapshot(snapshot(1), 5_000_000_000);
    const rollBack = s.propose(3001, 'call', 5_000_000_000);
    const row = s.rows(5_000_000_000).find((r) => r.target.id === 3001);
    assert.equal(row?.call?.callerId, 2001, 'ours before any answer');
    assert.equal(row?.pending, true);
    assert.equal(row?.call?.at, 1_000_000, "the server's time, not the device's");
    assert.equal(s.counts(5_000_000_000).called, 1);
    s.settle(3001, 'call', mine(3001));
    rollBack();
    assert.deepEqual(s.callOn(3001), mine(3001));
    assert.equal(s.isPending(3001), false);
  });

  test('a refused call rolls back, and a call someone else made meanwhile shows instead', () => {
    const s = new WarState();
    s.loadSnapshot(snapshot(10), 0);
    const rollBack = s.propose(3001, 'call', 0);
    assert.equal(s.apply(call(11, 3001)), 'applied', "the other member's call arrives while ours is on its way");
    assert.equal(s.callOn(3001)?.callerName, 'Other', 'a call held by someone else is never hidden');
    rollBack();
    assert.equal(s.callOn(3001)?.callerName, 'Other');
    const alone = new WarState();
    alone.loadSnapshot(snapshot(10), 0);
    alone.propose(3001, 'call', 0)();
    assert.equal(alone.callOn(3001), undefined, 'nothing left of a refused call');
    assert.equal(alone.openCalls().length, 0);
  });

  test('a release hides our call at once; a failed one brings it back', () => {
    const s = new WarState();
    s.loadSnapshot({ ...snapshot(1), calls: [mine(3001)] }, 0);
    const rollBack = s.propose(3001, 'release', 0);
    assert.equal(s.callOn(3001), undefined);
    assert.deepEqual(s.openCalls(), []);
    rollBack();
    assert.deepEqual(s.callOn(3001), mine(3001));
    s.propose(3001, 'release', 0);
    s.settle(3001, 'release', mine(3001, 'released'));
    assert.equal(s.calls.size, 0, 'released on the server: gone for good');
  });
});
