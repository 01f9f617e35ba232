import { formatCountdown } from './duration-text.js';
import type { WarState } from './war-state.js';

/** The enemy's chain in words, in parts each surface lays out its own way. */
export interface EnemyChainText {
  /** `Their chain 57`. */
  count: string;
  /** `breaks ≤ 3:12`, `no hit seen for 5 min`, `timer unknown`; '' at 0. */
  timer: string;
  /** `bonus 100 in 43`; '' at 0. */
  bonus: string;
  /** The timer's basis, for a tooltip. */
  title: string;
}

/** Torn's clock (TCT, which is UTC) as `12:34`. */
function tct(unixS: number): string {
  const d = new Date(unixS * 1000);
  return `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
}

/** The enemy's chain as text; null before the first read or at 0. */
export function enemyChainText(state: WarState, localNowMs: number = Date.now()): EnemyChainText | null {
  const c = state.enemyChain;
  if (!c || c.current <= 0) return null;
  const left = state.enemyChainTimeoutLeft(localNowMs);
  const toGo = c.nextBonus - c.current;
  const timer = left === null ? 'timer unknown' : left > 0 ? `breaks ≤ ${formatCountdown(left)}` : 'no hit seen for 5 min';
  const title =
    c.breaksBy === null
      ? 'Torn gives their chain count only; the timer shows once TornCat sees the count go up'
      : `A hit resets Torn's chain timer to 5 minutes: their count rose by ${tct(c.seenAt)} TCT, so the chain breaks by ${tct(c.breaksBy)} TCT at the latest unless they hit again`;
  return {
    count: `Their chain ${c.current}`,
    timer,
    bonus: toGo > 0 ? `bonus ${c.nextBonus} in ${toGo}` : '',
    title,
  };
}
