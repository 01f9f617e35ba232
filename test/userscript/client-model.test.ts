import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SseParser } from '../../src/userscript/sse-parser.js';
import { WarState, formatCountdown, type Snapshot, type WarEvent } from '../../src/userscript/war-state.js';

describe('SseParser', () => {
  test('parses frames split anywhere, with CRLF, comments and retry, as EventSource does', () => {
    const events: WarEvent[] = [];
    let alive = 0;
    const p = new SseParser(
      (e) => events.push(e),
      () => alive++,
    );
    const text =
      'retry: 3000\r\n\r\n:\r\n\r\nid: 7\r\nevent: target_call\r\ndata: {"targetId":3001}\r\n\r\nid: 8\nevent: war_summary\ndata: {"a":\ndata: 1}\n\n';
    for (const ch of text) p.feed(ch);
    assert.deepEqual(events, [
      { id: 7, event: 'target_call', data: { targetId: 3001 } },
      { id: 8, event: 'war_summary', data: { a: 1 } },
    ]);
    assert.equal(p.retryMs, 3000);
    assert.equal(p.lastEventId, '8');
    assert.ok(alive > 0);
  });

  test('a JSON error answer is not mistaken for a live stream', () => {
    let alive = 0;
    const p = new SseParser(
      () => assert.fail('no event'),
      () => alive++,
    );
    p.feed('{"error":{"code":"unauthorized","message":"Unknown token"}}');
    assert.equal(alive, 0);
  });
});

const snapshot = (seq: number): Snapshot => ({
  seq,
  me: { id: 2001, name: 'Me', keyStatus: 'active' },
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
  },
  summary: { scores: { 1001: 10, 1002: 20 } },
  targets: [
    {
      id: 3001,
      name: 'A',
      level: 1,
      status: { state: 'Okay', description: 'Okay', details: '', until: null },
      lastAction: { status: 'Online', timestamp: 0 },
      links: { profile: '', attack: '' },
    },
    {
      id: 3002,
      name: 'B',
      level: 2,
      status: { state: 'Hospital', description: '', details: '', until: 1_000_100 },
      lastAction: { status: 'Offline', timestamp: 0 },
      links: { profile: '', attack: '' },
    },
  ],
  calls: [],
  serverTime: 1_000_000,
});
const call = (id: number, targetId: number, state = 'called'): WarEvent => ({
  id,
  event: 'target_call',
  data: { warId: 5001, targetId, targetName: 'x', callerId: 2002, callerName: 'Other', state, at: 0, expiresAt: 900 },
});

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
    assert.equal(s.apply({ id: 11, event: 'reset', data: {} }), 'resnapshot');
    assert.equal(s.apply({ id: 11, event: 'war', data: { warId: 5002 } }), 'resnapshot');
    assert.equal(s.apply({ id: 11, event: 'target_status', data: { warId: 5001, targetId: 3999, state: 'Okay' } }), 'resnapshot');
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
