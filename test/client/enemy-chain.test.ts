// The enemy's chain on the client: the snapshot and `enemy_chain` events, the latest time it breaks
// on Torn's clock, and its alerts (they are chaining past the member's size; a bonus is near), once
// per chain, across page loads. And the server's reading of the count: a rise starts Torn's
// five-minute timer, a drop starts a new chain.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { EnemyChainAlerts, enemyChainAlertText, type EnemyChainAlert } from '../../src/client/core/enemy-chain-alerts.js';
import { enemyChainText } from '../../src/client/core/enemy-chain-text.js';
import { WarState } from '../../src/client/core/war-state.js';
import type { EnemyChain } from '../../src/protocol/intel.js';
import { CHAIN_TIMER_S, nextEnemyChain } from '../../src/war/enemy-chain.js';
import { memoryStore, snapshot, WAR_ID } from './intel-model.js';

const T0 = 1_700_000_000;
const BONUSES = [10, 25, 50, 100, 250, 500, 1000];
const bonusAbove = (n: number) => BONUSES.find((b) => b > n) ?? 2500;

function enemy(parts: Partial<EnemyChain>): EnemyChain {
  const current = parts.current ?? 0;
  return { warId: WAR_ID, factionId: 1002, current, nextBonus: bonusAbove(current), since: T0, seenAt: T0, breaksBy: null, ...parts };
}

function stateWith(c: EnemyChain | null, at = T0): WarState {
  const s = new WarState();
  s.loadSnapshot(snapshot(1, at, { enemyChain: c }), at * 1000);
  return s;
}

describe('WarState and the enemy chain', () => {
  test('the snapshot and enemy_chain events set it; the timer counts to breaksBy on the server’s clock', () => {
    const s = stateWith(enemy({ current: 12 }));
    assert.equal(s.enemyChain?.current, 12);
    assert.equal(s.enemyChainTimeoutLeft(T0 * 1000), null, 'no rise seen yet: the timer is unknown');
    assert.equal(enemyChainText(s, T0 * 1000)?.timer, 'timer unknown');
    assert.equal(
      s.apply({ id: 2, event: 'enemy_chain', data: enemy({ current: 13, seenAt: T0 + 5, breaksBy: T0 + 305 }) }, (T0 + 5) * 1000),
      'applied',
    );
    assert.equal(s.enemyChainTimeoutLeft((T0 + 105) * 1000), 200);
    const text = enemyChainText(s, (T0 + 105) * 1000);
    assert.deepEqual([text?.count, text?.timer, text?.bonus], ['Their chain 13', 'breaks ≤ 3:20', 'bonus 25 in 12']);
    assert.match(text?.title ?? '', /by 22:18 TCT at the latest/);
    assert.equal(s.enemyChainTimeoutLeft((T0 + 400) * 1000), 0);
    assert.equal(enemyChainText(s, (T0 + 400) * 1000)?.timer, 'no hit seen for 5 min');
    // A snapshot from a server without the field leaves none.
    const old = new WarState();
    const { enemyChain: _, ...without } = snapshot(1, T0);
    old.loadSnapshot(without as never, T0 * 1000);
    assert.equal(old.enemyChain, null);
    assert.equal(enemyChainText(old), null);
  });
});

describe('EnemyChainAlerts', () => {
  test('growing: once their chain reaches the member’s size, once per chain; a new chain (a drop) alerts again', () => {
    const fired: EnemyChainAlert[] = [];
    const alerts = new EnemyChainAlerts({ hits: 20, fire: (a) => fired.push(a) });
    const s = stateWith(enemy({ current: 18, breaksBy: T0 + 300 }));
    alerts.check(s, T0 * 1000);
    assert.deepEqual(fired, []);
    s.apply({ id: 2, event: 'enemy_chain', data: enemy({ current: 21, seenAt: T0 + 10, breaksBy: T0 + 310 }) }, (T0 + 10) * 1000);
    alerts.check(s, (T0 + 10) * 1000);
    alerts.check(s, (T0 + 11) * 1000);
    s.apply({ id: 3, event: 'enemy_chain', data: enemy({ current: 30, seenAt: T0 + 20, breaksBy: T0 + 320 }) }, (T0 + 20) * 1000);
    alerts.check(s, (T0 + 20) * 1000);
    assert.deepEqual(fired, [{ kind: 'growing', current: 21, nextBonus: 25, hits: 20 }]);
    assert.equal(enemyChainAlertText(fired[0], 'Demo Rivals'), "Demo Rivals' chain is at 21 (past 20): they are chaining");
    assert.equal(enemyChainAlertText(fired[0]), 'Their chain is at 21 (past 20): they are chaining');
    // Broken and started again: a new chain, known by its new `since`.
    s.apply(
      { id: 4, event: 'enemy_chain', data: enemy({ current: 2, since: T0 + 900, seenAt: T0 + 900, breaksBy: T0 + 1200 }) },
      (T0 + 900) * 1000,
    );
    s.apply(
      { id: 5, event: 'enemy_chain', data: enemy({ current: 20, since: T0 + 900, seenAt: T0 + 990, breaksBy: T0 + 1290 }) },
      (T0 + 990) * 1000,
    );
    alerts.check(s, (T0 + 990) * 1000);
    assert.equal(fired.length, 2);
  });

  test('bonus: from bonusLeadHits before each bonus, once per bonus and chain, across page loads; a stale chain alerts nothing', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1100 }), fc.integer({ min: 1, max: 5 }), (current, pages) => {
        const store = memoryStore();
        const fired: EnemyChainAlert[] = [];
        for (let p = 0; p < pages; p++) {
          const alerts = new EnemyChainAlerts({ hits: 100_000, store, fire: (a) => fired.push(a) });
          alerts.check(stateWith(enemy({ current, breaksBy: T0 + 200 })), T0 * 1000);
        }
        const toGo = bonusAbove(current) - current;
        const due = toGo <= Math.max(3, Math.ceil(bonusAbove(current) / 10));
        assert.deepEqual(fired, due ? [{ kind: 'bonus', current, nextBonus: bonusAbove(current), hits: 100_000 }] : []);
      }),
    );
    const stale: EnemyChainAlert[] = [];
    new EnemyChainAlerts({ hits: 5, fire: (a) => stale.push(a) }).check(stateWith(enemy({ current: 98, breaksBy: T0 - 1 })), T0 * 1000);
    assert.deepEqual(stale, [], 'no hit seen for five minutes: broken or cooling down');
  });
});

describe('nextEnemyChain (the server’s reading of the count)', () => {
  const read = (current: number, at: number) => ({ warId: WAR_ID, factionId: 1002, current, at });

  test('first count: no timer; a rise: five minutes from that read; the same count: nothing new; a drop: a new chain', () => {
    const first = nextEnemyChain(null, read(40, T0));
    assert.deepEqual(first, enemy({ current: 40, since: T0, seenAt: T0, breaksBy: null }));
    assert.equal(nextEnemyChain(first, read(40, T0 + 5)), null);
    const rose = nextEnemyChain(first, read(42, T0 + 10));
    assert.deepEqual(rose, enemy({ current: 42, since: T0, seenAt: T0 + 10, breaksBy: T0 + 10 + CHAIN_TIMER_S }));
    const broke = nextEnemyChain(rose, read(0, T0 + 400));
    assert.deepEqual(broke, enemy({ current: 0, since: T0 + 400, seenAt: T0 + 400, breaksBy: null }));
    const again = nextEnemyChain(broke, read(3, T0 + 500));
    assert.deepEqual(again, enemy({ current: 3, since: T0 + 500, seenAt: T0 + 500, breaksBy: T0 + 800 }), 'up from 0: a new chain');
  });

  test('over any run of readings: an event only for a new count, breaksBy never before the read, since only moves on a drop or a start', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 120 }), fc.integer({ min: 1, max: 90 })), { maxLength: 40 }), (steps) => {
        let c: EnemyChain | null = null;
        let at = T0;
        for (const [count, dt] of steps) {
          at += dt;
          const next = nextEnemyChain(c, read(count, at));
          if (c && c.current === count) {
            assert.equal(next, null);
            continue;
          }
          assert.ok(next);
          assert.equal(next.current, count);
          assert.equal(next.seenAt, at);
          if (next.breaksBy !== null) assert.equal(next.breaksBy, at + CHAIN_TIMER_S);
          if (c && count > c.current && c.current > 0) assert.equal(next.since, c.since, 'a rise is the same chain');
          else assert.equal(next.since, at);
          c = next;
        }
      }),
    );
  });
});
