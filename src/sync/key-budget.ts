/**
 * Each key's uses in a sliding window (members use their keys in other tools too: each key serves at most
 * TORN_KEY_BUDGET_PER_MIN of our requests), in memory. Times are Unix milliseconds of this node's clock.
 */
export class KeyBudget {
  readonly perWindow: number;
  readonly windowMs: number;
  #uses = new Map<number, number[]>();

  /**
   * @param perWindow requests one key may serve in any window (TORN_KEY_BUDGET_PER_MIN)
   * @param windowMs @default 60000
   */
  constructor(perWindow: number, windowMs = 60_000) {
    if (!(perWindow >= 1)) throw new RangeError(`perWindow must be at least 1, got ${perWindow}`);
    if (!(windowMs > 0)) throw new RangeError(`windowMs must be positive, got ${windowMs}`);
    this.perWindow = perWindow;
    this.windowMs = windowMs;
  }

  /** The key's uses still inside the window ending at `now`, oldest first. */
  uses(keyId: number, now: number): number[] {
    const all = this.#uses.get(keyId);
    if (!all) return [];
    const from = now - this.windowMs;
    let i = 0;
    while (i < all.length && all[i] <= from) i++;
    if (i > 0) all.splice(0, i);
    if (all.length === 0) this.#uses.delete(keyId);
    return all;
  }

  remaining(keyId: number, now: number): number {
    return Math.max(0, this.perWindow - this.uses(keyId, now).length);
  }

  /** When the key can be used again (now when it has budget left). */
  availableAt(keyId: number, now: number): number {
    const u = this.uses(keyId, now);
    return u.length < this.perWindow ? now : u[u.length - this.perWindow] + this.windowMs + 1;
  }

  record(keyId: number, at: number): void {
    const all = this.#uses.get(keyId) ?? [];
    all.push(at);
    if (all.length > 1 && all[all.length - 2] > at) all.sort((a, b) => a - b);
    this.#uses.set(keyId, all);
  }

  /** Merges uses known from elsewhere (the database, written by the node that polled before us). */
  seed(keyId: number, times: readonly number[]): void {
    const merged = new Set([...(this.#uses.get(keyId) ?? []), ...times]);
    this.#uses.set(
      keyId,
      [...merged].sort((a, b) => a - b),
    );
  }

  forget(keyId: number): void {
    this.#uses.delete(keyId);
  }
}
