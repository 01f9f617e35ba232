/**
 * Torn's clock as the simulator sees it: real time, pushed forward by `advance`.
 * Real time keeps flowing so a demo looks alive; `advance` lets tests skip a hospital stay
 * without waiting. It never goes backwards, as no client expects Torn's clock to.
 */
export class SimClock {
  #advancedMs = 0;
  readonly #realNow: () => number;

  constructor(realNow: () => number = Date.now) {
    this.#realNow = realNow;
  }

  /** Sim time in milliseconds: rate limits need sub-second precision. */
  nowMs(): number {
    return this.#realNow() + this.#advancedMs;
  }

  /** Sim time in Unix seconds, the unit of every Torn timestamp. */
  now(): number {
    return Math.floor(this.nowMs() / 1000);
  }

  advance(seconds: number): number {
    if (!Number.isFinite(seconds) || seconds < 0) throw new RangeError('advance must be a non-negative number of seconds');
    this.#advancedMs += Math.round(seconds * 1000);
    return this.now();
  }
}
