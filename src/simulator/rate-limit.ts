// Torn's call limit: 100 requests per rolling minute per player, counted across all his keys.

const RATE_LIMIT_REQUESTS = 100;
const RATE_LIMIT_WINDOW_MS = 60_000;

export class RateLimiter {
  /** Sim-time (ms) of each accepted request, oldest first, per player. */
  readonly #hits = new Map<number, number[]>();

  /**
   * Records a request by `playerId` at `nowMs` and says whether it is allowed.
   * Refused requests are not recorded: a client that backs off gets through again once
   * its oldest accepted request leaves the window, as with Torn's rolling limit.
   */
  take(playerId: number, nowMs: number): boolean {
    const hits = (this.#hits.get(playerId) ?? []).filter((at) => at > nowMs - RATE_LIMIT_WINDOW_MS);
    this.#hits.set(playerId, hits);
    if (hits.length >= RATE_LIMIT_REQUESTS) return false;
    hits.push(nowMs);
    return true;
  }

  clear(): void {
    this.#hits.clear();
  }
}
