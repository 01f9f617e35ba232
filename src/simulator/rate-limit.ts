// Torn's call limits, each a rolling minute: 100 requests per player (counted across all his keys,
// error 5) and 1,000 per IP address (every key from that address together; over it, error 8).

const RATE_LIMIT_WINDOW_MS = 60_000;

/** Torn's limit per player, whatever key he uses. */
export const PLAYER_REQUESTS_PER_MINUTE = 100;
/** Torn's limit per IP address, every key from it together. */
export const IP_REQUESTS_PER_MINUTE = 1000;

export class RateLimiter {
  /** Sim-time (ms) of each accepted request, oldest first, per caller (player id or address). */
  readonly #hits = new Map<number | string, number[]>();
  #limit: number;
  readonly #defaultLimit: number;

  constructor(limit: number) {
    this.#limit = limit;
    this.#defaultLimit = limit;
  }

  get limit(): number {
    return this.#limit;
  }

  /** Changes the limit (a test that must reach it without sending a thousand requests); `clear` restores the first. */
  setLimit(limit: number): void {
    this.#limit = limit;
  }

  /**
   * Records a request by `caller` at `nowMs` and says whether it is allowed.
   * Refused requests are not recorded: a client that backs off gets through again once
   * its oldest accepted request leaves the window, as with Torn's rolling limit.
   */
  take(caller: number | string, nowMs: number): boolean {
    // No limit, nothing to count (the per-IP limit is off unless a test turns it on).
    if (this.#limit === Number.POSITIVE_INFINITY) return true;
    const hits = (this.#hits.get(caller) ?? []).filter((at) => at > nowMs - RATE_LIMIT_WINDOW_MS);
    this.#hits.set(caller, hits);
    if (hits.length >= this.#limit) return false;
    hits.push(nowMs);
    return true;
  }

  clear(): void {
    this.#hits.clear();
    this.#limit = this.#defaultLimit;
  }
}
