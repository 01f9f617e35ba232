import { byId } from '../core/dom.js';
import { enemyChainText } from '../core/enemy-chain-text.js';
import type { WarState } from '../core/war-state.js';

/** The enemy's chain beside ours: its count, when it breaks at the latest (Torn's clock), its next bonus. */
export function renderEnemyChain(state: WarState, now: number): void {
  const bar = byId('enemy-chain');
  const t = enemyChainText(state, now);
  const c = state.enemyChain;
  bar.hidden = !t || !c;
  if (!t || !c) return;
  const name = state.war?.enemy.name;
  const toGo = c.nextBonus - c.current;
  setText(byId('enemy-chain-count'), name ? `${name} chain ${c.current}` : t.count);
  setText(byId('enemy-chain-timeout'), t.timer);
  byId('enemy-chain-timeout').title = t.title;
  setText(byId('enemy-chain-bonus'), `next bonus ${c.nextBonus} (${toGo} hit${toGo === 1 ? '' : 's'})`);
}

function setText(e: HTMLElement, text: string): void {
  if (e.textContent !== text) e.textContent = text;
}
