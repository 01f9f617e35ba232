/**
 * Requests counted in a sliding window, per id (a player, a key, or the whole node), in memory.
 * Torn counts a player's requests across all their keys (100 a minute) and an IP's across all
 * players (1,000 a minute): the key pool spends a per-player budget and a node budget through this.
 * Times are Unix milliseconds of this node's clock.
 */
export class RequestBudget {
  readonly perWindow: number;
  readonly windowMs: number;
  #uses = new Map<number, number[]>();

  /**
   * @param perWindow requests one id may make in any window
   * @param windowMs @default 60000
   */
  constructor(perWindow: number, windowMs = 60_000) {
    if (!(perWindow >= 1)) throw new RangeError(`perWindow must be at least 1, got ${perWindow}`);
    if (!(windowMs > 0)) throw new RangeError(`windowMs must be positive, got ${windowMs}`);
    this.perWindow = perWindow;
    this.windowMs = windowMs;
  }

  /** The id's uses still inside the window ending at `now`, oldest first. */
  uses(id: number, now: number): number[] {
    const all = this.#uses.get(id);
    if (!all) return [];
    const from = now - this.windowMs;
    let i = 0;
    while (i < all.length && all[i] <= from) i++;
    if (i > 0) all.splice(0, i);
    if (all.length === 0) this.#uses.delete(id);
    return all;
  }

  remaining(id: number, now: number): number {
    return Math.max(0, this.perWindow - this.uses(id, now).length);
  }

  /** When the id can be used again (now when it has budget left). */
  availableAt(id: number, now: number): number {
    const u = this.uses(id, now);
    return u.length < this.perWindow ? now : u[u.length - this.perWindow] + this.windowMs + 1;
  }

  record(id: number, at: number): void {
    const all = this.#uses.get(id) ?? [];
    all.push(at);
    if (all.length > 1 && all[all.length - 2] > at) all.sort((a, b) => a - b);
    this.#uses.set(id, all);
  }

  /** Merges uses known from elsewhere (the database, written by the node that polled before us). */
  seed(id: number, times: readonly number[]): void {
    if (times.length === 0) return;
    const merged = new Set([...(this.#uses.get(id) ?? []), ...times]);
    this.#uses.set(
      id,
      [...merged].sort((a, b) => a - b),
    );
  }

  forget(id: number): void {
    this.#uses.delete(id);
  }

  /** Uses in the window ending at `now`, by id (for metrics). */
  counts(now: number): Map<number, number> {
    const out = new Map<number, number>();
    for (const id of [...this.#uses.keys()]) {
      const n = this.uses(id, now).length;
      if (n > 0) out.set(id, n);
    }
    return out;
  }
}
