import type { Store } from './storage.js';
import { formatCountdown } from './duration-text.js';
import { FiredSet } from './fired-set.js';
import type { WarState } from './war-state.js';

/** The chain is about to break (`timeout`), or a bonus hit is near (`bonus`). */
export interface ChainAlert {
  kind: 'timeout' | 'bonus';
  current: number;
  nextBonus: number;
  timeoutLeftS: number;
}

/** The timeout alert is for a chain worth saving: longer than this. */
const CHAIN_WORTH_SAVING = 10;
/** A refresh of the chain moves its deadline by a second or two; a hit moves it by minutes. */
const SAME_DEADLINE_S = 10;
const KEEP_S = 86_400;

/** How many hits before a bonus it is announced: 3, or a tenth of the bonus when that is more. */
export function bonusLeadHits(nextBonus: number): number {
  return Math.max(3, Math.ceil(nextBonus / 10));
}

/**
 * The chain's alerts, on Torn's clock: `timeout` when a chain past 10 hits has `thresholdS` seconds
 * or less before it breaks, once per drop (a hit resets the timeout and re-arms it); `bonus` once per
 * bonus and chain, from `bonusLeadHits` hits before it. With a store, what fired is remembered across
 * page loads.
 */
export class ChainAlerts {
  /** The member's threshold in seconds; may change between checks. */
  thresholdS: number;
  readonly #fire: (a: ChainAlert) => void;
  /** Bonus keys, and timeout keys holding the break deadline (server clock) alerted. */
  readonly #fired: FiredSet;

  constructor(o: { thresholdS: number; fire(a: ChainAlert): void; store?: Store }) {
    this.thresholdS = o.thresholdS;
    this.#fire = o.fire;
    this.#fired = new FiredSet('torncat.chainAlerts', o.store);
  }

  check(state: WarState, localNowMs: number = Date.now()): void {
    const c = state.chain;
    const left = state.chainTimeoutLeft(localNowMs);
    if (!c || left === null || left <= 0) return;
    const now = state.serverNow(localNowMs);
    const alert = { current: c.current, nextBonus: c.nextBonus, timeoutLeftS: left };
    if (c.current > CHAIN_WORTH_SAVING && left <= this.thresholdS) {
      const deadline = Math.round(c.at + c.timeout);
      const prefix = `timeout:${c.factionId}:`;
      const seen = [...this.#fired.keys()].some(
        (k) => k.startsWith(prefix) && Math.abs(Number(k.slice(prefix.length)) - deadline) <= SAME_DEADLINE_S,
      );
      if (!seen) {
        this.#fired.add(prefix + deadline, now + KEEP_S, now);
        this.#fire({ kind: 'timeout', ...alert });
      }
    }
    const toGo = c.nextBonus - c.current;
    if (toGo > 0 && toGo <= bonusLeadHits(c.nextBonus)) {
      const key = `bonus:${c.factionId}:${c.start}:${c.nextBonus}`;
      if (!this.#fired.has(key)) {
        this.#fired.add(key, now + KEEP_S, now);
        this.#fire({ kind: 'bonus', ...alert });
      }
    }
  }
}

/** The alert in words: `Chain 42: 0:45 before it breaks`, `Chain 97: bonus hit 100 in 3 hits`. */
export function chainAlertText(a: ChainAlert): string {
  if (a.kind === 'timeout') return `Chain ${a.current}: ${formatCountdown(a.timeoutLeftS)} before it breaks`;
  const hits = a.nextBonus - a.current;
  return `Chain ${a.current}: bonus hit ${a.nextBonus} in ${hits} hit${hits === 1 ? '' : 's'}`;
}
