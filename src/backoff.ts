/**
 * Jittered exponential back-off, the one formula for every retry loop (the browser clients' ladder
 * and reconnects; the server's LISTEN reconnect, poller lock, Torn back-off and transaction retries).
 *
 * The ceiling doubles from `baseMs` with each attempt, up to `maxMs`; the wait is drawn from the
 * ceiling's upper half ("equal jitter"). The jitter keeps clients or nodes that failed together from
 * retrying together; the lower bound keeps any of them from hammering a server that is down.
 * No Node or DOM API: it is bundled into the browser clients as it is.
 */
export interface BackoffOptions {
  /** The first wait's ceiling, in ms (the first wait is between half of it and all of it). */
  baseMs: number;
  /** The largest ceiling, in ms. */
  maxMs: number;
  /** A number in [0, 1); tests pass a fixed one. @default Math.random */
  random?: () => number;
}

/** The wait before retry number `attempt` (0 for the first), in whole ms. */
export function backoffDelay(attempt: number, options: BackoffOptions): number {
  const base = Math.max(1, options.baseMs);
  const max = Math.max(base, options.maxMs);
  // Past 2^30 the ceiling is long capped; the exponent is clamped so it never overflows to Infinity.
  const exponent = Math.min(Math.max(0, Math.floor(attempt)), 30);
  const ceiling = Math.min(max, base * 2 ** exponent);
  const random = options.random ?? Math.random;
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/**
 * The same back-off, counting failures in a row: `fail()` gives the next wait and remembers until
 * when to hold off; `succeed()` starts over. Nothing needs to clear it: once `until` passes, the next
 * try is the probe.
 */
export class Backoff {
  readonly #options: BackoffOptions;
  #level = 0;
  #until = 0;

  constructor(options: BackoffOptions) {
    this.#options = options;
  }

  /** Records a failure at `now` (ms); returns how long to wait (ms). */
  fail(now: number = Date.now()): number {
    const wait = backoffDelay(this.#level, this.#options);
    this.#level++;
    this.#until = now + wait;
    return wait;
  }

  succeed(): void {
    this.#level = 0;
    this.#until = 0;
  }

  blocked(now: number = Date.now()): boolean {
    return now < this.#until;
  }

  /** Failures in a row since the last success (0: not backing off). */
  get level(): number {
    return this.#level;
  }

  /** When the current wait ends (ms), 0 when not backing off. */
  get until(): number {
    return this.#until;
  }
}
