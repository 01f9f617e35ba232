// The panel's pieces that need no browser: the chain's line (strip, tab, attack bar) and the stored layout.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { WarState } from '../../src/client/core/war-state.js';
import { chainLine } from '../../src/client/userscript/chain-text.js';
import { readLayout, saveLayout } from '../../src/client/userscript/panel-layout.js';
import { chain, memoryStore, snapshot } from '../client/intel-model.js';

const T0 = 1_000_000;
const at = (s: number) => (T0 + s) * 1000; // local ms: the snapshot syncs the clocks at T0

function stateWith(c: ReturnType<typeof chain> | null): WarState {
  const state = new WarState();
  state.loadSnapshot(snapshot(1, T0, { chain: c }), at(0));
  return state;
}

describe('the chain’s line', () => {
  test('none without a chain, nor once its timeout ran out', () => {
    assert.equal(chainLine(stateWith(null), 60, at(0)), null);
    assert.equal(chainLine(stateWith(chain({ current: 30, timeout: 100, cooldown: 0, at: T0 })), 60, at(101)), null);
  });

  test('a running chain counts its timeout down on the server’s clock and names the next bonus', () => {
    const line = chainLine(stateWith(chain({ current: 23, nextBonus: 25, timeout: 250, at: T0 })), 60, at(10));
    assert.deepEqual(line, { text: 'Chain 23 · 4:00 left · bonus 25 in 2', short: '23', urgent: false });
  });

  test('urgent only past 10 hits and at or under the threshold, as the chain alert', () => {
    const s = stateWith(chain({ current: 11, nextBonus: 25, timeout: 90, at: T0 }));
    assert.equal(chainLine(s, 60, at(29))?.urgent, false, '61 s left');
    assert.equal(chainLine(s, 60, at(30))?.urgent, true, '60 s left');
    const short = stateWith(chain({ current: 10, nextBonus: 25, timeout: 30, at: T0 }));
    assert.equal(chainLine(short, 60, at(0))?.urgent, false, 'a chain of 10 is not worth the alarm');
  });

  test('a cooldown after the chain', () => {
    const line = chainLine(stateWith(chain({ current: 0, timeout: 0, cooldown: 250, at: T0 })), 60, at(0));
    assert.deepEqual(line, { text: 'Chain cooldown 4:10', short: '', urgent: false });
  });
});

describe('the panel’s stored layout', () => {
  test('defaults for anything missing or malformed: open at the bottom right, the tab on the left at 30 %', () => {
    const store = memoryStore();
    const def = { collapsed: false, right: 8, bottom: 8, tabSide: 'left', tabTop: 0.3 };
    assert.deepEqual(readLayout(store), def);
    store.set('torncat.panel', '{not json');
    assert.deepEqual(readLayout(store), def);
    store.set('torncat.panel', JSON.stringify({ collapsed: 'yes', right: -5, bottom: 'x', tabSide: 'top', tabTop: 7 }));
    assert.deepEqual(readLayout(store), def);
    assert.deepEqual(readLayout(undefined), def);
  });

  test('what was saved comes back', () => {
    const store = memoryStore();
    const layout = { collapsed: true, right: 40, bottom: 120, tabSide: 'right' as const, tabTop: 0.62 };
    saveLayout(store, layout);
    assert.deepEqual(readLayout(store), layout);
  });
});
