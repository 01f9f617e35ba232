import type { Database, Queryable } from '../db/database.js';
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

interface KeyRow {
  id: number;
  player_id: number;
  key_ciphertext: Uint8Array;
  recent_uses: number[];
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
    const r = await this.#db.query<KeyRow>(
      `select k.id, k.player_id, k.key_ciphertext, k.recent_uses
         from api_keys k join players p on p.id = k.player_id
        where p.faction_id = $1 and k.state = 'active' and (k.rest_until is null or k.rest_until <= now())
        order by k.last_used_at nulls first, k.id`,
      [factionId],
    );
    if (r.rows.length === 0) return { key: null, reason: 'no_keys', retryAt: this.#now() };
    const now = this.#now();
    let best: KeyRow | undefined;
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
    await this.#db.query('update api_keys set last_used_at = now(), recent_uses = $2::bigint[] where id = $1', [
      best.id,
      this.budget.uses(best.id, now),
    ]);
    return { key: { keyId: best.id, playerId: best.player_id, apiKey: this.#vault.decrypt(best.key_ciphertext) } };
  }

  /**
   * Torn refused the key: a dead key (2, 13, 18…) is disabled with its reason, and its owner will be
   * told; a rate-limited one (5) rests. Returns what was done.
   */
  async reportError(key: PooledKey, error: TornApiError): Promise<'disabled' | 'rested' | null> {
    if (disablesKey(error.kind)) {
      await this.#db.query(
        `update api_keys set state = 'disabled', last_error_code = $2, last_error = $3, owner_notified_at = null, updated_at = now()
          where id = $1`,
        [key.keyId, error.code, error.message],
      );
      this.budget.forget(key.keyId);
      return 'disabled';
    }
    if (restsKey(error.kind)) {
      await this.#db.query(
        `update api_keys set rest_until = now() + make_interval(secs => $4::double precision / 1000),
                last_error_code = $2, last_error = $3, updated_at = now()
          where id = $1`,
        [key.keyId, error.code, error.message, this.#restMs],
      );
      return 'rested';
    }
    return null;
  }
}

/** Stored keys by state, across every faction (for metrics). */
export async function countKeysByState(db: Queryable): Promise<{ active: number; resting: number; disabled: number }> {
  const r = await db.query<{ active: number; resting: number; disabled: number }>(
    `select (count(*) filter (where state = 'active' and (rest_until is null or rest_until <= now())))::int as active,
            (count(*) filter (where state = 'active' and rest_until > now()))::int as resting,
            (count(*) filter (where state = 'disabled'))::int as disabled
       from api_keys`,
  );
  return r.rows[0] ?? { active: 0, resting: 0, disabled: 0 };
}

/**
 * Once per disabling: when every stored key of the player is disabled and they have not been told
 * yet, marks them told and returns why (Torn's code and message), so the server answers their
 * request with `key_disabled`. Afterwards their board shows `me.keyStatus: "disabled"`.
 */
export async function takeKeyDisabledNotice(db: Queryable, playerId: number): Promise<{ code: number | null; reason: string } | null> {
  const r = await db.query<{ last_error_code: number | null; last_error: string | null }>(
    `update api_keys k set owner_notified_at = now()
      where k.player_id = $1 and k.state = 'disabled' and k.owner_notified_at is null
        and not exists (select 1 from api_keys a where a.player_id = $1 and a.state = 'active')
      returning k.last_error_code, k.last_error`,
    [playerId],
  );
  const row = r.rows[0];
  return row ? { code: row.last_error_code, reason: row.last_error ?? 'Torn refused the key' } : null;
}

/**
 * Housekeeping: keys Torn disabled more than `retentionDays` ago go (`updated_at` is when they were
 * disabled: nothing writes a disabled key after that). Their owners' boards then show no key.
 */
export async function deleteDisabledKeys(db: Queryable, retentionDays: number): Promise<number> {
  const r = await db.query(`delete from api_keys where state = 'disabled' and updated_at < now() - make_interval(days => $1::int)`, [
    retentionDays,
  ]);
  return r.rowCount;
}
