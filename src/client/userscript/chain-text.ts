/** The faction's chain in one line, for the panel's strip, its collapsed tab and the attack page's bar. */
import { formatCountdown } from '../core/duration-text.js';
import type { WarState } from '../core/war-state.js';

/** As the chain alert (core/chain-alerts.ts): the line turns urgent only for a chain past this many hits. */
const CHAIN_ALERT_FROM = 10;

export interface ChainLine {
  /** `Chain 37 · 2:31 left · bonus 50 in 13`, `Chain cooldown 4:10`. */
  text: string;
  /** The hit count alone, for the tab. */
  short: string;
  /** The timeout is below the member's threshold on a chain past 10: hit now. */
  urgent: boolean;
}

/** The chain as a line, or null when there is none running nor cooling down. */
export function chainLine(state: WarState, thresholdS: number, localNowMs: number = Date.now()): ChainLine | null {
  const c = state.chain;
  if (!c) return null;
  const left = state.chainTimeoutLeft(localNowMs);
  // At 0 the chain broke (unless a hit came that the next read will show): no countdown stuck at 0:00.
  if (left !== null && left > 0) {
    const toBonus = c.nextBonus - c.current;
    return {
      text: `Chain ${c.current} · ${formatCountdown(left)} left · bonus ${c.nextBonus} in ${toBonus}`,
      short: String(c.current),
      urgent: c.current > CHAIN_ALERT_FROM && left <= thresholdS,
    };
  }
  const cooldown = state.chainCooldownLeft(localNowMs);
  if (cooldown !== null) return { text: `Chain cooldown ${formatCountdown(cooldown)}`, short: '', urgent: false };
  return null;
}
