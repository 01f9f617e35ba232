import type { Database } from '../db/database.js';
import { disableKey, recentUsesOfPlayers, recordKeyUse, restPlayerKeys, usableKeysOfFaction, type UsableKeyRow } from '../auth/keys.js';
import type { KeyVault } from '../auth/key-vault.js';
import { disablesKey, restsKey, type TornApiError } from '../torn/index.js';
import { RequestBudget } from './request-budget.js';
import type { AddressBudget } from './address-budget.js';

export interface PooledKey {
  keyId: number;
  playerId: number;
  apiKey: string;
}

export type TakeResult =
  | { key: PooledKey }
  /**
   * `no_keys`: no member of the faction has a usable key; `budget`: every member spent their budget,
   * or this node's egress address spent its own, until `retryAt` (Unix ms).
   */
  | { key: null; reason: 'no_keys' | 'budget'; retryAt: number };

/** Torn requests sent through the pool in the last window, for metrics. */
export interface RecentRequests {
  byKey: ReadonlyMap<number, number>;
  byPlayer: ReadonlyMap<number, number>;
  /** Requests this node sent (its share of the address's). */
  node: number;
  playerBudget: number;
  /** The egress address (TORN_EGRESS_ADDRESS), its requests from every node, and its budget. */
  address: string;
  addressUsed: number;
  addressBudget: number;
}

export interface KeyPoolOptions {
  db: Database;
  vault: KeyVault;
  /** Requests one player may serve in any window, across all their keys (TORN_PLAYER_BUDGET_PER_MIN). */
  playerBudgetPerWindow: number;
  /**
   * The budget of the address this node's requests leave from, shared with every node sending from
   * it (TORN_ADDRESS_BUDGET_PER_MIN), in the database. Its window should be budgetWindowMs.
   */
  address: AddressBudget;
  /** @default 60000 */
  budgetWindowMs?: number;
  /** How long a player's keys rest after Torn's error 5 (too many requests). @default 60000 */
  restMs?: number;
  /** @default Date.now */
  now?: () => number;
}

/** The node's single entry in its count. */
const NODE = 0;

/**
 * The faction's members' stored keys, lent out one request at a time, least recently used first,
 * within two budgets counted as Torn counts: per player across all their keys (Torn allows 100 a
 * minute; members use their keys in other tools too), and per egress address, every faction of
 * every node sending from it together (Torn allows 1,000 a minute from one IP). Uses are written
 * through to `api_keys.recent_uses` and every take merges what the database knows, so a node that
 * takes a faction over (one poller per faction, by advisory lock) starts from the real budget left;
 * the address's budget lives only in the database (address-budget.ts).
 */
export class KeyPool {
  readonly players: RequestBudget;
  readonly address: AddressBudget;
  // Per key only to write each key's own uses through, and this node's count only for metrics: no budget of their own.
  readonly #keys: RequestBudget;
  readonly #node: RequestBudget;
  #db: Database;
  #vault: KeyVault;
  #restMs: number;
  #now: () => number;

  constructor(o: KeyPoolOptions) {
    const windowMs = o.budgetWindowMs ?? 60_000;
    this.#db = o.db;
    this.#vault = o.vault;
    this.players = new RequestBudget(o.playerBudgetPerWindow, windowMs);
    this.address = o.address;
    this.#node = new RequestBudget(Number.MAX_SAFE_INTEGER, windowMs);
    this.#keys = new RequestBudget(o.playerBudgetPerWindow, windowMs);
    this.#restMs = o.restMs ?? 60_000;
    this.#now = o.now ?? Date.now;
  }

  /**
   * A usable key of one of the faction's members with budget left (theirs and the address's), its
   * use recorded. `ignoreBudget` (forced syncs: tests, the demo) still records the use.
   */
  async take(factionId: number, options: { ignoreBudget?: boolean } = {}): Promise<TakeResult> {
    // The address's budget as last read: when it is spent, ask the database nothing (with hundreds
    // of factions waiting, those queries were most of the database's work).
    if (!options.ignoreBudget && this.addressRemaining() === 0) {
      return { key: null, reason: 'budget', retryAt: this.address.availableAt(this.#now()) };
    }
    const rows = await usableKeysOfFaction(this.#db, factionId);
    if (rows.length === 0) return { key: null, reason: 'no_keys', retryAt: this.#now() };
    const known = await recentUsesOfPlayers(this.#db, [...new Set(rows.map((row) => row.player_id))]);
    const now = this.#now();
    for (const [playerId, uses] of known) this.players.seed(playerId, uses);
    let best: UsableKeyRow | undefined;
    let retryAt = Infinity;
    // Least recently used first (the query's order), skipping players who spent their budget.
    for (const row of rows) {
      if (options.ignoreBudget || this.players.remaining(row.player_id, now) > 0) {
        best = row;
        break;
      }
      retryAt = Math.min(retryAt, this.players.availableAt(row.player_id, now));
    }
    if (!best) return { key: null, reason: 'budget', retryAt };
    // Last, so a player out of budget costs the address nothing; exact across nodes (one statement).
    const spent = await this.address.spend({ force: options.ignoreBudget });
    if (!spent.granted) return { key: null, reason: 'budget', retryAt: spent.availableAt };
    // The use is when the key is lent, after the address's grant: an earlier time would let the
    // player's window end before Torn's does.
    const at = this.#now();
    this.players.record(best.player_id, at);
    this.#node.record(NODE, at);
    this.#keys.seed(best.id, best.recent_uses.map(Number));
    this.#keys.record(best.id, at);
    await recordKeyUse(this.#db, best.id, this.#keys.uses(best.id, at));
    return { key: { keyId: best.id, playerId: best.player_id, apiKey: this.#vault.decrypt(best.key_ciphertext) } };
  }

  /** Requests this node's address may still send in the current window, as last read (an estimate: the spend decides). */
  addressRemaining(now: number = this.#now()): number {
    return this.address.remaining(now);
  }

  /**
   * Torn refused the key: a dead key (2, 13, 18…) is disabled with its reason, and its owner will be
   * told; on 5 (too many requests, which Torn counts per player) every key of its owner rests.
   * Returns what was done.
   */
  async reportError(key: PooledKey, error: TornApiError): Promise<'disabled' | 'rested' | null> {
    if (disablesKey(error.kind)) {
      await disableKey(this.#db, key.keyId, error.code, error.message);
      this.#keys.forget(key.keyId);
      return 'disabled';
    }
    if (restsKey(error.kind)) {
      await restPlayerKeys(this.#db, key.playerId, error.code, error.message, this.#restMs);
      return 'rested';
    }
    return null;
  }

  /** What this node sent through the pool in the last window, by key id, by player and in all, and its address's count. */
  recentRequests(): RecentRequests {
    const now = this.#now();
    return {
      byKey: this.#keys.counts(now),
      byPlayer: this.players.counts(now),
      node: this.#node.uses(NODE, now).length,
      playerBudget: this.players.perWindow,
      address: this.address.address,
      addressUsed: this.address.used(now),
      addressBudget: this.address.perWindow,
    };
  }
}
