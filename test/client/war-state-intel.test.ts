// The client model's war intelligence: chain, leaders' marks, assists, watches, travel and early
// exits, from the snapshot and from events, and how the rows show them.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { WarEvent } from '../../src/protocol/events.js';
import { WarState } from '../../src/client/core/war-state.js';
import { callerText, hospitalAbroadText, rowFlags, statusText, travelText } from '../../src/client/core/target-row.js';
import { chain, ME, myCall, snapshot, statusEvent, target, WAR_ID } from './intel-model.js';

const T0 = 1_700_000_000;
const at = (s: number) => (T0 + s) * 1000; // local ms = server seconds here

describe('WarState: war intelligence', () => {
  test('the snapshot brings chain, marks, assists and watches; a server without them gives empty ones', () => {
    const s = new WarState();
    const mark = { targetId: 3002, mark: 'priority' as const, note: null, by: { id: 2002, name: 'Boss' }, at: T0 };
    const assist = { targetId: 3001, targetName: 'T3001', requester: { id: 2003, name: 'Help' }, at: T0, expiresAt: T0 + 180 };
    s.loadSnapshot(
      snapshot(5, T0, {
        targets: [target(3001), target(3002), target(3003)],
        chain: chain({ current: 42, timeout: 200, at: T0, nextBonus: 50 }),
        marks: [mark],
        assists: [assist],
        watches: [3003],
      }),
      at(0),
    );
    assert.equal(s.chain?.current, 42);
    assert.deepEqual(s.marks.get(3002), mark);
    assert.deepEqual(s.assists.get('3001:2003'), assist);
    assert.deepEqual([...s.watches], [3003]);
    assert.deepEqual(
      s.rows(at(0)).map((r) => r.target.id),
      [3002, 3001, 3003],
      'the priority mark first',
    );
    const old = snapshot(6, T0, { targets: [target(3001)] }) as unknown as Record<string, unknown>;
    for (const k of ['chain', 'marks', 'assists', 'watches']) delete old[k];
    s.loadSnapshot(old as never, at(0));
    assert.equal(s.chain, null);
    assert.equal(s.marks.size + s.assists.size + s.watches.size, 0);
  });

  test('chain, target_mark, assist and watch events apply in order; another member’s watch is theirs', () => {
    const s = new WarState();
    s.loadSnapshot(snapshot(1, T0, { targets: [target(3001), target(3002)] }), at(0));
    const evs: WarEvent[] = [
      { id: 2, event: 'chain', data: chain({ current: 11, timeout: 120, at: T0, nextBonus: 25 }) },
      {
        id: 3,
        event: 'target_mark',
        data: {
          warId: WAR_ID,
          targetId: 3001,
          mark: { targetId: 3001, mark: 'avoid', note: 'ally', by: { id: 2002, name: 'Boss' }, at: T0 },
          by: { id: 2002, name: 'Boss' },
        },
      },
      {
        id: 4,
        event: 'assist',
        data: { warId: WAR_ID, targetId: 3002, targetName: 'T3002', requester: { id: 2005, name: 'Ann' }, at: T0, expiresAt: T0 + 60 },
      },
      { id: 5, event: 'watch', data: { warId: WAR_ID, memberId: ME, targetId: 3002, watching: true } },
      { id: 6, event: 'watch', data: { warId: WAR_ID, memberId: 2009, targetId: 3001, watching: true } },
    ];
    for (const e of evs) assert.equal(s.apply(e, at(0)), 'applied');
    assert.equal(s.chain?.current, 11);
    assert.equal(s.chainTimeoutLeft(at(20)), 100, "the timeout counts down from the chain's `at` on the server clock");
    assert.equal(s.marks.get(3001)?.note, 'ally');
    assert.deepEqual(rowFlags(s.row(3001, at(0))!), ['avoid']);
    assert.equal(s.isWatched(3002), true);
    assert.equal(s.isWatched(3001), false);
    assert.deepEqual(
      s.openAssists(at(59)).map((a) => a.requester.name),
      ['Ann'],
    );
    assert.deepEqual(s.openAssists(at(60)), [], 'expired on the server clock');
    const unmark: WarEvent = {
      id: 7,
      event: 'target_mark',
      data: { warId: WAR_ID, targetId: 3001, mark: null, by: { id: 2002, name: 'Boss' } },
    };
    assert.equal(s.apply(unmark, at(1)), 'applied');
    assert.equal(s.marks.has(3001), false);
    assert.equal(
      s.apply({ id: 8, event: 'watch', data: { warId: WAR_ID, memberId: ME, targetId: 3002, watching: false } }, at(1)),
      'applied',
    );
    assert.equal(s.isWatched(3002), false);
  });

  test('an own open call watches its target, waiting for exit or not; release ends it', () => {
    const s = new WarState();
    s.loadSnapshot(
      snapshot(1, T0, { targets: [target(3001, { state: 'Hospital', until: T0 + 300 })], calls: [myCall(3001, T0, true)] }),
      at(0),
    );
    assert.equal(s.isWatched(3001), true);
    assert.equal(callerText(s.callOn(3001)!, ME), 'you (for exit)');
    s.settle(3001, 'release', null);
    assert.equal(s.isWatched(3001), false);
  });

  test('a target_status with early and previous marks the exit; travel and hospital abroad read as words', () => {
    const s = new WarState();
    const t = target(3001, { state: 'Hospital', until: T0 + 600 });
    s.loadSnapshot(snapshot(1, T0, { targets: [structuredClone(t)] }), at(0));
    const out = target(3001, {}, { isRevivable: false, hasEarlyDischarge: true });
    assert.equal(s.apply(statusEvent(2, out, { previous: { state: 'Hospital', until: T0 + 600 }, early: true }), at(10)), 'applied');
    const row = s.row(3001, at(10))!;
    assert.equal(row.target.earlyExitAt, T0 + 10);
    assert.equal(row.target.hasEarlyDischarge, true);
    assert.equal(row.earlyExit, true);
    assert.equal(statusText(row), 'Out early');
    assert.deepEqual(s.earlyExits.get(3001), { targetId: 3001, at: T0 + 10, until: T0 + 600 });
    assert.equal(s.row(3001, at(10 + 120))!.earlyExit, false, 'highlighted for two minutes');

    const flying = target(3001, { state: 'Traveling', description: 'Traveling to Mexico' });
    flying.travel = {
      destination: 'Mexico',
      direction: 'outbound',
      ticket: null,
      eta: Date.UTC(2023, 10, 14, 12, 34) / 1000,
      earliestEta: null,
    };
    assert.equal(s.apply(statusEvent(3, flying), at(11)), 'applied');
    assert.equal(statusText(s.row(3001, at(11))!), '→ Mexico, lands ~12:34');
    assert.equal(travelText({ destination: 'Mexico', direction: 'abroad', ticket: null, eta: null, earliestEta: null }), 'in Mexico');
    // An airliner (standard or business) lands between two times; a known ticket at one.
    const tct = (h: number, m: number) => Date.UTC(2023, 10, 14, h, m) / 1000;
    assert.equal(
      travelText({ destination: 'Mexico', direction: 'outbound', ticket: null, eta: tct(12, 34), earliestEta: tct(12, 17) }),
      '→ Mexico, lands 12:17–12:34',
    );
    assert.equal(
      travelText({ destination: 'Japan', direction: 'returning', ticket: 'private', eta: tct(13, 5), earliestEta: tct(13, 5) }),
      '← from Japan, lands ~13:05',
    );
    assert.equal(travelText({ destination: 'Japan', direction: 'returning', ticket: null, eta: null, earliestEta: null }), '← from Japan');

    const swiss = target(3001, { state: 'Hospital', until: T0 + 900, description: 'In a Swiss hospital for 15 mins' });
    swiss.hospitalCountry = 'Switzerland';
    swiss.travel = { destination: 'Switzerland', direction: 'abroad', ticket: null, eta: null, earliestEta: null };
    assert.equal(s.apply(statusEvent(4, swiss), at(0)), 'applied');
    assert.equal(statusText(s.row(3001, at(0))!), 'In a Swiss hospital 15:00');
    assert.deepEqual(s.nextOut(5, at(0)), [], 'a hospital abroad is not out soon here');
    assert.equal(hospitalAbroadText('United Kingdom', 'In a British hospital for 3 hrs 2 mins'), 'in a British hospital');
    assert.equal(hospitalAbroadText('UAE', 'In an Emirati hospital for 1 min'), 'in an Emirati hospital');
    assert.equal(hospitalAbroadText('United Kingdom', 'Hospitalized'), 'in a hospital in United Kingdom');
    assert.equal(hospitalAbroadText('Japan'), 'in a hospital in Japan');
  });

  test('settleOp records what the server answered for watch, mark, unmark and assist; a refusal changes nothing', () => {
    const s = new WarState();
    s.loadSnapshot(snapshot(1, T0, { targets: [target(3001)] }), at(0));
    s.settleOp({ op: 'watch', targetId: 3001 }, { ok: true, call: null });
    assert.equal(s.isWatched(3001), true);
    const mark = { targetId: 3001, mark: 'note' as const, note: 'tank', by: { id: ME, name: 'Me' }, at: T0 };
    s.settleOp({ op: 'mark', targetId: 3001, mark: 'note', note: 'tank' }, { ok: true, call: null, mark });
    assert.deepEqual(s.marks.get(3001), mark);
    s.settleOp({ op: 'unmark', targetId: 3001 }, { ok: false, error: { code: 'not_allowed', message: 'no' } });
    assert.ok(s.marks.has(3001));
    s.settleOp({ op: 'unmark', targetId: 3001 }, { ok: true, call: null, mark: null });
    assert.equal(s.marks.has(3001), false);
    const assist = { targetId: 3001, targetName: 'T3001', requester: { id: ME, name: 'Me' }, at: T0, expiresAt: T0 + 180 };
    s.settleOp({ op: 'assist', targetId: 3001 }, { ok: true, call: null, assist });
    assert.deepEqual(s.openAssists(at(0)), [assist]);
  });
});
