import type { Database } from '../db/database.js';
import type { KeyVault } from '../auth/key-vault.js';
import { disablesKey, restsKey, type TornApiError } from '../torn/index.js';

export interface PooledKey {
  keyId: number;
  playerId: number;
  apiKey: string;
}

/**
 * The faction's members' stored keys, lent out one request at a time, least recently used first,
 * so the load spreads over every member instead of burning one key.
 */
export class KeyPool {
  #db: Database;
  #vault: KeyVault;

  constructor(db: Database, vault: KeyVault) {
    this.#db = db;
    this.#vault = vault;
  }

  /** A usable key of one of the faction's members, or null when none is left. */
  async take(factionId: number): Promise<PooledKey | null> {
    const r = await this.#db.query<{ id: number; player_id: number; key_ciphertext: Uint8Array }>(
      `update api_keys set last_used_at = now()
        where id = (
          select k.id from api_keys k join players p on p.id = k.player_id
           where p.faction_id = $1 and k.state = 'active' and (k.rest_until is null or k.rest_until <= now())
           order by k.last_used_at nulls first, k.id
           limit 1
           for update skip locked)
        returning id, player_id, key_ciphertext`,
      [factionId],
    );
    const row = r.rows[0];
    return row ? { keyId: row.id, playerId: row.player_id, apiKey: this.#vault.decrypt(row.key_ciphertext) } : null;
  }

  /** Torn refused the key: a dead key is disabled (its owner is told), a rate-limited one rests a minute. */
  async reportError(key: PooledKey, error: TornApiError): Promise<void> {
    if (disablesKey(error.kind)) {
      await this.#db.query(
        `update api_keys set state = 'disabled', last_error_code = $2, last_error = $3, updated_at = now() where id = $1`,
        [key.keyId, error.code, error.message],
      );
    } else if (restsKey(error.kind)) {
      await this.#db.query(
        `update api_keys set rest_until = now() + interval '60 seconds', last_error_code = $2, last_error = $3, updated_at = now() where id = $1`,
        [key.keyId, error.code, error.message],
      );
    }
  }
}
