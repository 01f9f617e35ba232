// The member's sort and filters, shared by the board, the panel and Torn's war list: properties over
// any mix of targets (states, timers, activity, calls, marks), and the choice kept on the device.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ACTIVITY_RANK, activityMark, activityOf } from '../../src/client/core/activity.js';
import { DEFAULT_LIST_CHOICE, readListChoice, writeListChoice, type ListChoice } from '../../src/client/core/list-choice.js';
import { arrangeRows, FILTER_KEYS, isHidden, isReady, SORT_KEYS, sortRows, type SortKey } from '../../src/client/core/row-order.js';
import type { Row } from '../../src/client/core/target-row.js';
import { ME, memoryStore, myCall, target } from './intel-model.js';

const OTHER = 2002;
const T0 = 1_700_000_000;

const stateArb = fc.constantFrom('Okay', 'Hospital', 'Traveling', 'Abroad', 'Jail', 'Federal', 'Fallen');

/** One row as WarState builds it: a remaining time only for hospital and jail, 0 once the stay is over. */
const rowArb = (id: number): fc.Arbitrary<Row> =>
  fc
    .record({
      state: stateArb,
      remaining: fc.option(fc.integer({ min: 0, max: 7200 }), { nil: null }),
      abroadHospital: fc.boolean(),
      direction: fc.constantFrom(null, 'outbound', 'abroad', 'returning'),
      eta: fc.option(fc.integer({ min: T0, max: T0 + 7200 }), { nil: null }),
      activity: fc.constantFrom('Online', 'Idle', 'Offline', null),
      lastAt: fc.option(fc.integer({ min: T0 - 86_400 * 3, max: T0 }), { nil: null }),
      level: fc.integer({ min: 1, max: 100 }),
      caller: fc.constantFrom(null, ME, OTHER),
      mark: fc.constantFrom(null, 'priority', 'avoid', 'note'),
    })
    .map((g) => {
      const timed = g.state === 'Hospital' || g.state === 'Jail';
      const travels = g.state === 'Traveling' || g.state === 'Abroad';
      const t = target(
        id,
        { state: g.state },
        {
          level: g.level,
          lastAction: { status: g.activity, timestamp: g.lastAt },
          hospitalCountry: g.state === 'Hospital' && g.abroadHospital ? 'Mexico' : null,
          travel: travels && g.direction ? { destination: 'Mexico', direction: g.direction, ticket: null, eta: g.eta, earliestEta: g.eta } : null,
        },
      );
      const call = g.caller === null ? undefined : { ...myCall(id, T0), callerId: g.caller, callerName: g.caller === ME ? 'Me' : 'Other' };
      const mark =
        g.mark === null
          ? undefined
          : { targetId: id, mark: g.mark, note: g.mark === 'note' ? 'n' : null, by: { id: 1, name: 'L' }, at: T0 };
      return { target: t, call, pending: false, remaining: timed ? (g.remaining ?? 0) : null, mark, watched: false, earlyExit: false };
    });

/** 0–30 rows with distinct ids. */
const rowsArb = fc.uniqueArray(fc.integer({ min: 3000, max: 3999 }), { maxLength: 30 }).chain((ids) => fc.tuple(...ids.map(rowArb)));
const sortArb = fc.constantFrom(...SORT_KEYS);
const hideArb = fc.record({ hospital: fc.boolean(), travel: fc.boolean(), offline: fc.boolean(), calledByOthers: fc.boolean() });

const ids = (rows: readonly Row[]) => rows.map((r) => r.target.id);
const band = (r: Row) => (r.mark?.mark === 'priority' ? 0 : r.mark?.mark === 'avoid' ? 2 : 1);

/** Each sort's own key, as the test reads the sort's promise: rows sorted by it must never go down. */
const promise: Record<Exclude<SortKey, 'default'>, (r: Row) => number[]> = {
  levelDesc: (r) => [-r.target.level],
  levelAsc: (r) => [r.target.level],
  activity: (r) => [ACTIVITY_RANK[activityOf(r.target)], -(r.target.lastAction.timestamp ?? 0)],
  ready: (r) => [isReady(r, ME) ? 0 : 1],
  // Out already first, then still in Torn City's hospital or jail by time left.
  nextOut: (r) => {
    const out = r.target.status.state === 'Okay' || r.remaining === 0;
    const inCity = r.remaining !== null && r.remaining > 0 && !r.target.hospitalCountry;
    return out ? [0, 0] : inCity ? [1, r.remaining ?? 0] : [2, 0];
  },
};

const notAfter = (a: number[], b: number[]) => {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] < b[i];
  return true;
};

describe('sortRows', () => {
  test('any sort is a permutation that does not depend on the order the rows came in', () => {
    fc.assert(
      fc.property(rowsArb, sortArb, fc.integer(), (rows, sort, seed) => {
        const sorted = ids(sortRows(rows, sort, ME));
        assert.deepEqual([...sorted].sort(), [...ids(rows)].sort());
        const shuffled = [...rows].sort((a, b) => ((a.target.id * 7919 + seed) % 101) - ((b.target.id * 7919 + seed) % 101));
        assert.deepEqual(ids(sortRows(shuffled, sort, ME)), sorted);
      }),
    );
  });

  test('whatever the sort, a leader’s priority marks come first and avoid marks last', () => {
    fc.assert(
      fc.property(rowsArb, sortArb, (rows, sort) => {
        const bands = sortRows(rows, sort, ME).map(band);
        assert.deepEqual(
          bands,
          [...bands].sort((a, b) => a - b),
        );
      }),
    );
  });

  test('within each mark band, every sort keeps its promise', () => {
    fc.assert(
      fc.property(rowsArb, fc.constantFrom(...(Object.keys(promise) as (keyof typeof promise)[])), (rows, sort) => {
        const sorted = sortRows(rows, sort, ME);
        for (let i = 1; i < sorted.length; i++) {
          if (band(sorted[i - 1]) !== band(sorted[i])) continue;
          const [a, b] = [promise[sort](sorted[i - 1]), promise[sort](sorted[i])];
          assert.ok(
            notAfter(a, b),
            `${sort}: ${sorted[i - 1].target.id} ${JSON.stringify(a)} before ${sorted[i].target.id} ${JSON.stringify(b)}`,
          );
        }
      }),
    );
  });

  test('examples: next out, ready to hit, activity and level', () => {
    const row = (id: number, over: Partial<Row> & { state?: string; level?: number; activity?: string; at?: number }): Row => ({
      target: target(
        id,
        { state: over.state ?? 'Okay' },
        { level: over.level ?? 10, lastAction: { status: over.activity ?? 'Online', timestamp: over.at ?? T0 } },
      ),
      call: undefined,
      pending: false,
      remaining: null,
      mark: undefined,
      watched: false,
      earlyExit: false,
      ...over,
    });
    const rows = [
      row(1, { state: 'Hospital', remaining: 300, level: 50, activity: 'Offline', at: T0 - 7200 }),
      row(2, { state: 'Hospital', remaining: 60, level: 20, activity: 'Idle', at: T0 - 600 }),
      row(3, { state: 'Okay', call: { ...myCall(3, T0), callerId: OTHER }, level: 70 }),
      row(4, { state: 'Traveling', level: 5, activity: 'Offline', at: T0 - 60 }),
      row(5, { state: 'Okay', level: 30, activity: 'Idle', at: T0 - 100 }),
    ];
    assert.deepEqual(ids(sortRows(rows, 'nextOut', ME)), [5, 3, 2, 1, 4]);
    assert.deepEqual(ids(sortRows(rows, 'ready', ME)), [5, 3, 2, 1, 4]);
    assert.deepEqual(ids(sortRows(rows, 'activity', ME)), [3, 5, 2, 4, 1]);
    assert.deepEqual(ids(sortRows(rows, 'levelDesc', ME)), [3, 1, 5, 2, 4]);
    assert.deepEqual(ids(sortRows(rows, 'levelAsc', ME)), [4, 2, 5, 1, 3]);
    // Called by us, it is ready and first among the ready; called by someone else, not ready.
    rows[2].call = myCall(3, T0);
    assert.deepEqual(ids(sortRows(rows, 'ready', ME)).slice(0, 2), [3, 5]);
    rows[0].mark = { targetId: 1, mark: 'priority', note: null, by: { id: 1, name: 'L' }, at: T0 };
    for (const sort of SORT_KEYS) assert.equal(sortRows(rows, sort, ME)[0].target.id, 1, `${sort}: priority first`);
  });
});

describe('arrangeRows and the filters', () => {
  test('shown and hidden split the sorted rows; no filter hides nothing; more filters never show more', () => {
    fc.assert(
      fc.property(rowsArb, sortArb, hideArb, fc.constantFrom(...FILTER_KEYS), (rows, sort, hide, extra) => {
        const { shown, hidden } = arrangeRows(rows, { sort, hide }, ME);
        const sorted = ids(sortRows(rows, sort, ME));
        assert.deepEqual(
          ids(shown),
          sorted.filter((id) => !ids(hidden).includes(id)),
          'shown keeps the sort',
        );
        assert.equal(shown.length + hidden.length, rows.length);
        assert.deepEqual(arrangeRows(rows, { sort, hide: DEFAULT_LIST_CHOICE.hide }, ME).hidden, []);
        const more = arrangeRows(rows, { sort, hide: { ...hide, [extra]: true } }, ME);
        for (const id of ids(hidden)) assert.ok(ids(more.hidden).includes(id));
      }),
    );
  });

  test('each filter hides what it says and nothing else', () => {
    fc.assert(
      fc.property(rowsArb, (rows) => {
        for (const r of rows) {
          const s = r.target.status.state;
          const only = (k: (typeof FILTER_KEYS)[number]) => isHidden(r, { ...DEFAULT_LIST_CHOICE.hide, [k]: true }, ME);
          // A stay whose time is up is out now: not hidden as hospital.
          assert.equal(only('hospital'), s === 'Hospital' && r.remaining !== 0);
          assert.equal(only('travel'), s === 'Traveling' || s === 'Abroad');
          assert.equal(only('offline'), r.target.lastAction.status === 'Offline');
          assert.equal(only('calledByOthers'), r.call !== undefined && r.call.callerId !== ME);
        }
      }),
    );
  });
});

describe('the member’s choice on the device', () => {
  test('any choice written reads back the same, and survives a new page (a new read of the store)', () => {
    fc.assert(
      fc.property(sortArb, hideArb, (sort, hide) => {
        const store = memoryStore();
        const choice: ListChoice = { sort, hide: { ...hide } };
        writeListChoice(store, choice);
        assert.deepEqual(readListChoice(store), choice);
      }),
    );
  });

  test('nothing stored, or anything damaged, reads as a valid choice', () => {
    assert.deepEqual(readListChoice(memoryStore()), DEFAULT_LIST_CHOICE);
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json()), (raw) => {
        const store = memoryStore();
        store.set('torncat.listChoice', raw);
        const c = readListChoice(store);
        assert.ok((SORT_KEYS as readonly string[]).includes(c.sort));
        assert.deepEqual(Object.keys(c.hide).sort(), [...FILTER_KEYS].sort());
        for (const v of Object.values(c.hide)) assert.equal(typeof v, 'boolean');
      }),
    );
  });
});

describe('activityMark', () => {
  test('Online is "on"; Idle and Offline say how long ago, on Torn’s clock', () => {
    const at = (status: string | null, ago: number | null) =>
      activityMark(target(1, {}, { lastAction: { status, timestamp: ago === null ? null : T0 - ago } }), T0);
    assert.deepEqual(at('Online', 5000), { activity: 'online', short: 'on', title: 'Online, last action 1 h ago' });
    assert.deepEqual(at('Idle', 12 * 60 + 5), { activity: 'idle', short: '12m', title: 'Idle, last action 12 min ago' });
    assert.deepEqual(at('Offline', 3 * 86_400), { activity: 'offline', short: '3d', title: 'Offline, last action 3 d ago' });
    assert.deepEqual(at('Offline', 30), { activity: 'offline', short: 'now', title: 'Offline, last action just now' });
    assert.deepEqual(at(null, null), { activity: 'unknown', short: '', title: 'Activity unknown' });
  });
});
