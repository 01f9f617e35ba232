import { bonusLeadHits } from './chain-alerts.js';
import { FiredSet } from './fired-set.js';
import type { Store } from './storage.js';
import type { WarState } from './war-state.js';

/** Their chain passed the member's size (`growing`: they are chaining on us), or nears a bonus hit (`bonus`). */
export interface EnemyChainAlert {
  kind: 'growing' | 'bonus';
  current: number;
  nextBonus: number;
  /** The member's size, for `growing`. */
  hits: number;
}

const KEEP_S = 86_400;

/**
 * The enemy chain's alerts, each once per chain (a chain is known by when TornCat first saw it,
 * EnemyChain.since: a drop starts a new one): `growing` once the count reaches `hits`, `bonus` from
 * `bonusLeadHits` hits before each bonus (as for our own chain). A chain already past its time (no
 * hit seen for five minutes) alerts nothing. With a store, what fired is remembered across page loads.
 */
export class EnemyChainAlerts {
  /** The member's size in hits; may change between checks. */
  hits: number;
  readonly #fire: (a: EnemyChainAlert) => void;
  readonly #fired: FiredSet;

  constructor(o: { hits: number; fire(a: EnemyChainAlert): void; store?: Store }) {
    this.hits = o.hits;
    this.#fire = o.fire;
    this.#fired = new FiredSet('torncat.enemyChainAlerts', o.store);
  }

  check(state: WarState, localNowMs: number = Date.now()): void {
    const c = state.enemyChain;
    if (!c || c.current <= 0 || state.enemyChainTimeoutLeft(localNowMs) === 0) return;
    const now = state.serverNow(localNowMs);
    const chain = `${c.warId}:${c.factionId}:${c.since}`;
    const alert = { current: c.current, nextBonus: c.nextBonus, hits: this.hits };
    if (c.current >= this.hits && this.#fired.once(`growing:${chain}`, now + KEEP_S, now)) this.#fire({ kind: 'growing', ...alert });
    const toGo = c.nextBonus - c.current;
    const nearBonus = toGo > 0 && toGo <= bonusLeadHits(c.nextBonus);
    if (nearBonus && this.#fired.once(`bonus:${chain}:${c.nextBonus}`, now + KEEP_S, now)) this.#fire({ kind: 'bonus', ...alert });
  }
}

/** The alert in words: `Demo Rivals' chain is at 30 (past 25): they are chaining`, `Their chain 97: bonus hit 100 in 3 hits`. */
export function enemyChainAlertText(a: EnemyChainAlert, enemyName?: string): string {
  const who = enemyName ? `${enemyName}${enemyName.endsWith('s') ? "'" : "'s"} chain` : 'Their chain';
  if (a.kind === 'growing') return `${who} is at ${a.current} (past ${a.hits}): they are chaining`;
  const hits = a.nextBonus - a.current;
  return `${who} ${a.current}: bonus hit ${a.nextBonus} in ${hits} hit${hits === 1 ? '' : 's'}`;
}
