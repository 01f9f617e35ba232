import type { Database } from '../db/database.js';
import { disableKey, recordKeyUse, restKey, usableKeysOfFaction, type UsableKeyRow } from '../auth/keys.js';
import type { KeyVault } from '../auth/key-vault.js';
import { disablesKey, restsKey, type TornApiError } from '../torn/index.js';
import { KeyBudget } from './key-budget.js';

export interface PooledKey {
  keyId: number;
  playerId: number;
  apiKey: string;
}

export type TakeResult =
  | { key: PooledKey }
  /** `no_keys`: no member of the faction has a usable key; `budget`: every key spent its budget until `retryAt` (Unix ms). */
  | { key: null; reason: 'no_keys' | 'budget'; retryAt: number };

export interface KeyPoolOptions {
  db: Database;
  vault: KeyVault;
  /** Requests one key may serve in any window (TORN_KEY_BUDGET_PER_MIN). */
  budgetPerWindow: number;
  /** @default 60000 */
  budgetWindowMs?: number;
  /** How long a key rests after Torn's error 5 (too many requests). @default 60000 */
  restMs?: number;
  /** @default Date.now */
  now?: () => number;
}

/**
 * The faction's members' stored keys, lent out one request at a time, least recently used first,
 * each at most `budgetPerWindow` times in any window. Uses are counted in memory and written through
 * to `api_keys.recent_uses`, and every take merges what the database knows: a node that takes a war
 * over from another (one poller per faction, by advisory lock) starts from the real budget left.
 */
export class KeyPool {
  readonly budget: KeyBudget;
  #db: Database;
  #vault: KeyVault;
  #restMs: number;
  #now: () => number;

  constructor(o: KeyPoolOptions) {
    this.#db = o.db;
    this.#vault = o.vault;
    this.budget = new KeyBudget(o.budgetPerWindow, o.budgetWindowMs ?? 60_000);
    this.#restMs = o.restMs ?? 60_000;
    this.#now = o.now ?? Date.now;
  }

  /**
   * A usable key of one of the faction's members with budget left, its use recorded.
   * `ignoreBudget` (forced syncs: tests, the demo) still records the use.
   */
  async take(factionId: number, options: { ignoreBudget?: boolean } = {}): Promise<TakeResult> {
    const r = { rows: await usableKeysOfFaction(this.#db, factionId) };
    if (r.rows.length === 0) return { key: null, reason: 'no_keys', retryAt: this.#now() };
    const now = this.#now();
    let best: UsableKeyRow | undefined;
    let retryAt = Infinity;
    // Least recently used first (the query's order), skipping keys that spent their budget.
    for (const row of r.rows) {
      this.budget.seed(row.id, row.recent_uses.map(Number));
      if (options.ignoreBudget || this.budget.remaining(row.id, now) > 0) {
        best = row;
        break;
      }
      retryAt = Math.min(retryAt, this.budget.availableAt(row.id, now));
    }
    if (!best) return { key: null, reason: 'budget', retryAt };
    this.budget.record(best.id, now);
    await recordKeyUse(this.#db, best.id, this.budget.uses(best.id, now));
    return { key: { keyId: best.id, playerId: best.player_id, apiKey: this.#vault.decrypt(best.key_ciphertext) } };
  }

  /**
   * Torn refused the key: a dead key (2, 13, 18…) is disabled with its reason, and its owner will be
   * told; a rate-limited one (5) rests. Returns what was done.
   */
  async reportError(key: PooledKey, error: TornApiError): Promise<'disabled' | 'rested' | null> {
    if (disablesKey(error.kind)) {
      await disableKey(this.#db, key.keyId, error.code, error.message);
      this.budget.forget(key.keyId);
      return 'disabled';
    }
    if (restsKey(error.kind)) {
      await restKey(this.#db, key.keyId, error.code, error.message, this.#restMs);
      return 'rested';
    }
    return null;
  }
}
