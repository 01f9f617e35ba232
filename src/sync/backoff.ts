/**
 * Exponential back-off with jitter: each failure doubles the wait (from `baseMs` up to `maxMs`),
 * each wait drawn from its upper half so that several nodes or factions do not retry in step.
 * A success resets it. Nothing needs to clear it: once `until` passes, the next try is the probe.
 */
export class Backoff {
  readonly baseMs: number;
  readonly maxMs: number;
  #level = 0;
  #until = 0;
  #random: () => number;

  /**
   * @param baseMs first wait
   * @param maxMs longest wait @default 300000 (5 minutes)
   */
  constructor(baseMs: number, maxMs = 300_000, random: () => number = Math.random) {
    this.baseMs = Math.max(1, baseMs);
    this.maxMs = Math.max(this.baseMs, maxMs);
    this.#random = random;
  }

  /** Records a failure at `now`; returns how long to wait (ms). */
  fail(now: number): number {
    const ceiling = Math.min(this.maxMs, this.baseMs * 2 ** Math.min(this.#level, 30));
    const wait = Math.round(ceiling / 2 + (this.#random() * ceiling) / 2);
    this.#level++;
    this.#until = now + wait;
    return wait;
  }

  succeed(): void {
    this.#level = 0;
    this.#until = 0;
  }

  blocked(now: number): boolean {
    return now < this.#until;
  }

  /** Failures in a row since the last success (0: not backing off). */
  get level(): number {
    return this.#level;
  }

  get until(): number {
    return this.#until;
  }
}

/** A jittered pause for retrying a request that timed out or hit a network error. */
export function retryDelay(attempt: number, baseMs = 100): number {
  const ceiling = baseMs * 2 ** attempt;
  return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
}
