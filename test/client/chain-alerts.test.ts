// Chain alerts on Torn's clock: the timeout alert once per drop below the threshold for a chain past
// 10, the bonus announcement once per bonus a few hits before it.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { bonusLeadHits, ChainAlerts, chainAlertText, type ChainAlert } from '../../src/client/core/chain-alerts.js';
import { WarState } from '../../src/client/core/war-state.js';
import type { Chain } from '../../src/protocol/intel.js';
import { chain, memoryStore, snapshot } from './intel-model.js';

const T0 = 1_700_000_000;
const BONUSES = [10, 25, 50, 100, 250, 500, 1000];
const nextBonus = (n: number) => BONUSES.find((b) => b > n) ?? 2500;

describe('ChainAlerts', () => {
  test('timeout: a chain past 10 under the threshold fires once; a hit re-arms it; 10 hits or less never', () => {
    const fired: ChainAlert[] = [];
    const alerts = new ChainAlerts({ thresholdS: 60, fire: (a) => fired.push(a) });
    const s = new WarState();
    s.loadSnapshot(snapshot(1, T0, { chain: chain({ current: 30, timeout: 120, at: T0, nextBonus: 50, start: T0 - 999 }) }), T0 * 1000);
    alerts.check(s, (T0 + 59) * 1000);
    assert.equal(fired.length, 0);
    alerts.check(s, (T0 + 60) * 1000);
    alerts.check(s, (T0 + 70) * 1000);
    assert.deepEqual(fired, [{ kind: 'timeout', current: 30, nextBonus: 50, timeoutLeftS: 60 }]);
    assert.equal(chainAlertText(fired[0]), 'Chain 30: 1:00 before it breaks');
    // A refresh of the same chain (Torn's deadline unchanged, give or take a second): still once.
    s.apply(
      { id: 2, event: 'chain', data: chain({ current: 30, timeout: 49, at: T0 + 72, nextBonus: 50, start: T0 - 999 }) },
      (T0 + 72) * 1000,
    );
    alerts.check(s, (T0 + 72) * 1000);
    assert.equal(fired.length, 1);
    // A hit: the timeout is back to 5 minutes, and the next drop fires again.
    s.apply(
      { id: 3, event: 'chain', data: chain({ current: 31, timeout: 300, at: T0 + 80, nextBonus: 50, start: T0 - 999 }) },
      (T0 + 80) * 1000,
    );
    alerts.check(s, (T0 + 81) * 1000);
    assert.equal(fired.length, 1);
    alerts.check(s, (T0 + 330) * 1000);
    assert.equal(fired.length, 2);
    assert.equal(fired[1].timeoutLeftS, 50);

    const short: ChainAlert[] = [];
    const s2 = new WarState();
    s2.loadSnapshot(snapshot(1, T0, { chain: chain({ current: 10, timeout: 30, at: T0, nextBonus: 25 }) }), T0 * 1000);
    new ChainAlerts({ thresholdS: 60, fire: (a) => short.push(a) }).check(s2, T0 * 1000);
    assert.deepEqual(short, []);
  });

  test('bonus: announced from 3 hits (or a tenth of the bonus) before it, once per bonus, across page loads', () => {
    assert.equal(bonusLeadHits(10), 3);
    assert.equal(bonusLeadHits(100), 10);
    const store = memoryStore();
    const fired: ChainAlert[] = [];
    const page = (current: number) => {
      const s = new WarState();
      s.loadSnapshot(
        snapshot(1, T0, { chain: chain({ current, timeout: 250, at: T0, nextBonus: nextBonus(current), start: T0 - 50 }) }),
        T0 * 1000,
      );
      new ChainAlerts({ thresholdS: 60, fire: (a) => fired.push(a), store }).check(s, T0 * 1000);
    };
    page(6);
    assert.equal(fired.length, 0);
    page(7);
    page(8);
    page(9);
    assert.deepEqual(fired, [{ kind: 'bonus', current: 7, nextBonus: 10, timeoutLeftS: 250 }]);
    assert.equal(chainAlertText(fired[0]), 'Chain 7: bonus hit 10 in 3 hits');
    page(22);
    assert.equal(fired.length, 2);
    assert.equal(fired[1].nextBonus, 25);
  });

  test('property: random hits, refreshes and ticks; each drop and each bonus fires exactly once when seen', () => {
    const step = fc.oneof(
      fc.record({ kind: fc.constant('tick' as const), s: fc.integer({ min: 0, max: 120 }) }),
      fc.record({ kind: fc.constant('hits' as const), n: fc.integer({ min: 1, max: 8 }) }),
      fc.record({ kind: fc.constant('refresh' as const) }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 10, max: 200 }), fc.array(step, { maxLength: 80 }), (thresholdS, steps) => {
        const fired: ChainAlert[] = [];
        const deadlinesFired: number[] = [];
        const alerts = new ChainAlerts({ thresholdS, fire: (a) => fired.push(a) });
        const s = new WarState();
        let now = T0;
        let seq = 1;
        let c: Chain = chain({ current: 5, timeout: 300, at: T0, nextBonus: 10, start: T0 });
        s.loadSnapshot(snapshot(seq, now, { chain: c }), now * 1000);
        const dueDeadlines = new Set<number>();
        const dueBonuses = new Set<number>();
        for (const st of steps) {
          const left = c.at + c.timeout - now;
          if (st.kind === 'tick') now += st.s;
          else if (left > 0 && st.kind === 'hits') {
            const current = c.current + st.n;
            c = chain({ current, timeout: 300, at: now, nextBonus: nextBonus(current), start: T0 });
            s.apply({ id: ++seq, event: 'chain', data: c }, now * 1000);
          } else if (left > 0 && st.kind === 'refresh') {
            // Torn's answer a moment later: the same deadline, counted from a new `at`.
            c = { ...c, at: now, timeout: Math.max(0, c.at + c.timeout - now) };
            s.apply({ id: ++seq, event: 'chain', data: c }, now * 1000);
          }
          const leftNow = c.at + c.timeout - now;
          const n = fired.length;
          alerts.check(s, now * 1000);
          for (const a of fired.slice(n)) if (a.kind === 'timeout') deadlinesFired.push(c.at + c.timeout);
          if (leftNow > 0 && c.current > 10 && leftNow <= thresholdS) dueDeadlines.add(c.at + c.timeout);
          if (leftNow > 0 && c.nextBonus - c.current <= bonusLeadHits(c.nextBonus)) dueBonuses.add(c.nextBonus);
        }
        assert.deepEqual([...new Set(deadlinesFired)].sort(), [...dueDeadlines].sort(), 'each drop seen fires, once');
        assert.equal(new Set(deadlinesFired).size, deadlinesFired.length, 'no drop twice');
        const bonuses = fired.filter((a) => a.kind === 'bonus').map((a) => a.nextBonus);
        assert.deepEqual(bonuses, [...dueBonuses], 'each bonus seen is announced once, in order');
      }),
      { numRuns: 300 },
    );
  });
});
