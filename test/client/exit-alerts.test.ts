// Exit alerts on Torn's clock: `soon` leadS seconds before a watched target's hospital `until`,
// `early` once when it leaves before it, and never twice for one exit (target + until), across
// snapshots and page loads.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ExitAlerts, type ExitAlert } from '../../src/client/core/exit-alerts.js';
import { readAlertSettings, writeAlertSetting } from '../../src/client/core/alert-settings.js';
import { SAME_EXIT_S, WarState } from '../../src/client/core/war-state.js';
import type { Target } from '../../src/protocol/target.js';
import { memoryStore, myCall, snapshot, statusEvent, target } from './intel-model.js';

const T0 = 1_700_000_000;

describe('ExitAlerts', () => {
  test('fires `soon` once, leadS seconds before the exit on the server clock, for watched targets only', () => {
    const fired: ExitAlert[] = [];
    const alerts = new ExitAlerts({ leadS: 30, fire: (a) => fired.push(a) });
    const s = new WarState();
    // The device's clock is an hour behind the server's: the alert follows the server's.
    const local = (serverS: number) => (serverS - 3600) * 1000;
    s.loadSnapshot(
      snapshot(1, T0, {
        targets: [target(3001, { state: 'Hospital', until: T0 + 100 }), target(3002, { state: 'Hospital', until: T0 + 100 })],
        watches: [3001],
      }),
      local(T0),
    );
    alerts.check(s, local(T0 + 69));
    assert.equal(fired.length, 0);
    alerts.check(s, local(T0 + 70));
    assert.deepEqual(fired, [{ targetId: 3001, name: 'T3001', until: T0 + 100, kind: 'soon' }]);
    alerts.check(s, local(T0 + 80));
    s.loadSnapshot(snapshot(2, T0 + 90, { targets: [...s.targets.values()], watches: [3001] }), local(T0 + 90));
    alerts.check(s, local(T0 + 90));
    assert.equal(fired.length, 1, 'once, even after a fresh snapshot');
  });

  test('a hospital abroad is not out soon here: no alert', () => {
    const fired: ExitAlert[] = [];
    const alerts = new ExitAlerts({ leadS: 30, fire: (a) => fired.push(a) });
    const s = new WarState();
    s.loadSnapshot(
      snapshot(1, T0, {
        targets: [target(3001, { state: 'Hospital', until: T0 + 10 }, { hospitalCountry: 'Switzerland' })],
        calls: [myCall(3001, T0, true)],
      }),
      T0 * 1000,
    );
    alerts.check(s, (T0 + 5) * 1000);
    assert.equal(fired.length, 0);
  });

  test('an early exit of a watched target fires `early` once; of an unwatched one, nothing', () => {
    const fired: ExitAlert[] = [];
    const alerts = new ExitAlerts({ leadS: 30, fire: (a) => fired.push(a) });
    const s = new WarState();
    s.loadSnapshot(
      snapshot(1, T0, {
        targets: [target(3001, { state: 'Hospital', until: T0 + 900 }), target(3002, { state: 'Hospital', until: T0 + 900 })],
        calls: [myCall(3001, T0, true)],
      }),
      T0 * 1000,
    );
    const previous = { state: 'Hospital', until: T0 + 900 };
    s.apply(statusEvent(2, target(3001), { previous, early: true }), (T0 + 5) * 1000);
    s.apply(statusEvent(3, target(3002), { previous, early: true }), (T0 + 5) * 1000);
    alerts.check(s, (T0 + 5) * 1000);
    alerts.check(s, (T0 + 6) * 1000);
    assert.deepEqual(fired, [{ targetId: 3001, name: 'T3001', until: T0 + 900, kind: 'early' }]);
  });

  test('with a store, a new page (new state, new alerts) does not fire an exit again', () => {
    const store = memoryStore();
    const fired: ExitAlert[] = [];
    const page = () => {
      const s = new WarState();
      s.loadSnapshot(snapshot(1, T0, { targets: [target(3001, { state: 'Hospital', until: T0 + 20 })], watches: [3001] }), T0 * 1000);
      new ExitAlerts({ leadS: 30, fire: (a) => fired.push(a), store }).check(s, T0 * 1000);
    };
    page();
    page();
    assert.equal(fired.length, 1);
  });

  test('an exit whose `soon` fired does not fire `early` too, on this page or the next', () => {
    const store = memoryStore();
    const fired: ExitAlert[] = [];
    const alerts = new ExitAlerts({ leadS: 30, fire: (a) => fired.push(a), store });
    const s = new WarState();
    const hosp = target(3001, { state: 'Hospital', until: T0 + 20 });
    s.loadSnapshot(snapshot(1, T0, { targets: [hosp], watches: [3001] }), T0 * 1000);
    alerts.check(s, T0 * 1000);
    s.apply(statusEvent(2, target(3001), { previous: { state: 'Hospital', until: T0 + 20 }, early: true }), (T0 + 10) * 1000);
    alerts.check(s, (T0 + 10) * 1000);
    assert.deepEqual(
      fired.map((a) => a.kind),
      ['soon'],
    );
    const next = new WarState();
    const out = target(3001, {}, { earlyExitAt: T0 + 8 }); // the server dated the exit at its sync
    next.loadSnapshot(snapshot(2, T0 + 15, { targets: [out], watches: [3001] }), (T0 + 15) * 1000);
    new ExitAlerts({ leadS: 30, fire: (a) => fired.push(a), store }).check(next, (T0 + 15) * 1000);
    assert.equal(fired.length, 1);
  });

  test('a damaged stored record is as good as none: the alert still fires, once', () => {
    const store = memoryStore();
    store.set('torncat.exitAlerts', '{not json');
    const fired: ExitAlert[] = [];
    const s = new WarState();
    s.loadSnapshot(snapshot(1, T0, { targets: [target(3001, { state: 'Hospital', until: T0 + 20 })], watches: [3001] }), T0 * 1000);
    const alerts = new ExitAlerts({ leadS: 30, fire: (a) => fired.push(a), store });
    alerts.check(s, T0 * 1000);
    alerts.check(s, (T0 + 1) * 1000);
    assert.equal(fired.length, 1);
    assert.match(store.get('torncat.exitAlerts') ?? '', /"3001:1700000020"/);
  });

  test('the lead time is the member’s setting: 30 s by default, whole seconds 1–3600', () => {
    const store = memoryStore();
    assert.equal(readAlertSettings(store).exitLeadS, 30);
    assert.equal(readAlertSettings(store).chainThresholdS, 60);
    assert.equal(writeAlertSetting(store, 'exitLeadS', '90'), true);
    assert.equal(readAlertSettings(store).exitLeadS, 90);
    for (const bad of ['0', '-5', '1.5', 'abc', '', '99999']) assert.equal(writeAlertSetting(store, 'exitLeadS', bad), false, bad);
    assert.equal(readAlertSettings(store).exitLeadS, 90);
    store.set('torncat.exitLeadS', 'garbage');
    assert.equal(readAlertSettings(store).exitLeadS, 30);
  });

  test('property: random statuses, watches, ticks and reloads; no exit fires twice, every watched exit in range fires', () => {
    const ids = [3001, 3002];
    const step = fc.oneof(
      fc.record({ kind: fc.constant('tick' as const), s: fc.integer({ min: 0, max: 45 }) }),
      fc.record({
        kind: fc.constant('status' as const),
        id: fc.constantFrom(...ids),
        state: fc.constantFrom('Hospital', 'Okay', 'Traveling'),
        in: fc.integer({ min: -20, max: 150 }),
        abroad: fc.boolean(),
      }),
      fc.record({ kind: fc.constant('watch' as const), id: fc.constantFrom(...ids), on: fc.boolean() }),
      fc.record({ kind: fc.constant('reload' as const), newPage: fc.boolean(), newState: fc.boolean() }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 120 }), fc.array(step, { minLength: 5, maxLength: 60, size: '+1' }), (leadS, steps) => {
        const store = memoryStore();
        /** Each alert with the exit it is for (target:until), as the model knows it. */
        const fired: { alert: ExitAlert; exit: string }[] = [];
        /** The until of each target's last early exit. */
        const lastEarly = new Map<number, number | null>();
        const exitOf = (a: ExitAlert) => `${a.targetId}:${a.kind === 'early' ? lastEarly.get(a.targetId) : a.until}`;
        const make = () => new ExitAlerts({ leadS, fire: (alert) => fired.push({ alert, exit: exitOf(alert) }), store });
        let alerts = make();
        let now = T0;
        let seq = 1;
        const targets = new Map<number, Target>(ids.map((id) => [id, target(id)]));
        const watches = new Set<number>();
        const stays = new Set<string>();
        const reload = (s = new WarState()) => {
          s.loadSnapshot(
            snapshot(seq, now, { targets: [...targets.values()].map((t) => structuredClone(t)), watches: [...watches] }),
            now * 1000,
          );
          return s;
        };
        let state = reload();
        /** Exits (target:until) a check saw in range: watched, hospital in Torn City, 0 < until − now ≤ leadS. */
        const inRange = new Set<string>();
        const check = () => {
          for (const t of targets.values())
            if (watches.has(t.id) && t.status.state === 'Hospital' && !t.hospitalCountry && t.status.until !== null) {
              const left = t.status.until - now;
              if (left > 0 && left <= leadS) inRange.add(`${t.id}:${t.status.until}`);
            }
          alerts.check(state, now * 1000);
        };
        for (const st of steps) {
          /** This step is a watched target's early exit. */
          let earlyExit = false;
          if (st.kind === 'tick') now += st.s;
          else if (st.kind === 'watch') {
            if (st.on) watches.add(st.id);
            else watches.delete(st.id);
            state.apply({ id: ++seq, event: 'watch', data: { warId: 5001, memberId: 2001, targetId: st.id, watching: st.on } }, now * 1000);
          } else if (st.kind === 'reload') {
            if (st.newPage) alerts = make();
            state = st.newPage || st.newState ? reload() : reload(state);
          } else {
            const old = targets.get(st.id) as Target;
            // One stay, one until (the identity of an exit): Torn's untils of two stays never coincide.
            let until = now + st.in;
            while (stays.has(`${st.id}:${until}`)) until++;
            if (st.state === 'Hospital') stays.add(`${st.id}:${until}`);
            const next = target(st.id, st.state === 'Hospital' ? { state: 'Hospital', until } : { state: st.state });
            next.hospitalCountry = st.state === 'Hospital' && st.abroad ? 'Mexico' : null;
            const wasIn = old.status.state === 'Hospital' && old.status.until !== null;
            const changed = old.status.state !== next.status.state || old.status.until !== next.status.until;
            let early = wasIn && next.status.state !== 'Hospital' && (old.status.until as number) > now;
            // A snapshot dates an early exit but does not say which stay it ended: two early exits of one
            // target within SAME_EXIT_S are taken for one. Torn's are minutes apart (a hit, a stay, a revive).
            const lastAt = old.earlyExitAt;
            if (early && lastAt != null && now - lastAt <= SAME_EXIT_S) {
              now = lastAt + SAME_EXIT_S + 1;
              early = (old.status.until as number) > now;
            }
            // As the server: a target keeps the time of its last early exit.
            next.earlyExitAt = early ? now : old.earlyExitAt;
            if (early) lastEarly.set(st.id, old.status.until);
            earlyExit = early && watches.has(st.id);
            targets.set(st.id, next);
            state.apply(
              statusEvent(++seq, next, changed ? { previous: { state: old.status.state, until: old.status.until }, early } : {}),
              now * 1000,
            );
          }
          check();
          if (earlyExit && st.kind === 'status') {
            const exit = `${st.id}:${lastEarly.get(st.id)}`;
            assert.ok(
              fired.some((f) => f.exit === exit),
              `the watched early exit ${exit} fired at once (or its soon had)`,
            );
          }
        }
        const keys = fired.map((f) => f.exit);
        assert.equal(new Set(keys).size, keys.length, `no exit twice: ${keys}`);
        for (const k of inRange) assert.ok(keys.includes(k), `${k} was in range and fired (${keys})`);
        for (const { alert: a } of fired)
          if (a.kind === 'soon') assert.ok(inRange.has(`${a.targetId}:${a.until}`), `${a.targetId}:${a.until} fired in range only`);
      }),
      {
        numRuns: 1000,
        examples: [
          [
            30,
            [
              { kind: 'watch', id: 3001, on: true },
              { kind: 'status', id: 3001, state: 'Hospital', in: 20, abroad: false },
              { kind: 'status', id: 3001, state: 'Okay', in: 0, abroad: false },
              { kind: 'reload', newPage: true, newState: true },
            ],
          ],
        ],
      },
    );
  });
});
