import type { Database, Queryable } from '../db/database.js';
import { KeyDecryptError, type KeyVault } from './key-vault.js';
import type { KeyStatus } from '../protocol/snapshot.js';

// The one module that reads and writes `api_keys`: members' Torn keys, encrypted by the KeyVault,
// with what Torn last said of each (disabled, resting) and their recent uses (the key pool's budget).

/** Stores a key Torn just accepted (whatever was wrong with it before is over), in the caller's transaction. */
export async function storeKey(tx: Queryable, vault: KeyVault, playerId: number, apiKey: string): Promise<void> {
  await tx.query(
    `insert into api_keys (player_id, key_digest, key_ciphertext) values ($1, $2, $3)
     on conflict (key_digest) do update
       set player_id = excluded.player_id, key_ciphertext = excluded.key_ciphertext, state = 'active',
           rest_until = null, last_error_code = null, last_error = null, updated_at = now()`,
    [playerId, vault.digest(apiKey), vault.encrypt(apiKey)],
  );
}

/**
 * What "resting" means, once for every query: active, but Torn said too many requests (error 5)
 * and the rest is not over.
 */
const RESTING = `(state = 'active' and rest_until > now())`;
const USABLE = `(state = 'active' and (rest_until is null or rest_until <= now()))`;

export async function keyStatus(db: Queryable, playerId: number): Promise<KeyStatus> {
  const r = await db.query<{ status: KeyStatus }>(
    `select case when bool_or(${USABLE}) then 'active'
                 when bool_or(${RESTING}) then 'resting'
                 when count(*) > 0 then 'disabled' else 'none' end as status
       from api_keys where player_id = $1`,
    [playerId],
  );
  return r.rows[0]?.status ?? 'none';
}

export interface UsableKeyRow {
  id: number;
  player_id: number;
  key_ciphertext: Uint8Array;
  recent_uses: number[];
}

/**
 * A key is in use, and kept, only while its owner is signed in: a session that has not expired, in the
 * faction the player is in now (the terms in src/protocol/terms.ts promise this). `k` is the key's row.
 */
const OWNER_SIGNED_IN = `exists (select 1 from sessions s join players sp on sp.id = s.player_id and sp.faction_id = s.faction_id
                          where s.player_id = k.player_id and s.expires_at > now())`;

/** The faction's signed-in members' active keys that are not resting, least recently used first. */
export async function usableKeysOfFaction(db: Queryable, factionId: number): Promise<UsableKeyRow[]> {
  const r = await db.query<UsableKeyRow>(
    `select k.id, k.player_id, k.key_ciphertext, k.recent_uses
       from api_keys k join players p on p.id = k.player_id
      where p.faction_id = $1 and ${USABLE} and ${OWNER_SIGNED_IN}
      order by k.last_used_at nulls first, k.id`,
    [factionId],
  );
  return r.rows;
}

/** Writes a use through, with the uses of the budget's window (Unix ms). */
export async function recordKeyUse(db: Queryable, keyId: number, recentUses: readonly number[]): Promise<void> {
  await db.query('update api_keys set last_used_at = now(), recent_uses = $2::bigint[] where id = $1', [keyId, recentUses]);
}

/** Torn refused the key for good (2, 13, 18…): disabled with its reason; its owner will be told once. */
export async function disableKey(db: Queryable, keyId: number, code: number | null, reason: string): Promise<void> {
  await db.query(
    `update api_keys set state = 'disabled', last_error_code = $2, last_error = $3, owner_notified_at = null, updated_at = now()
      where id = $1`,
    [keyId, code, reason],
  );
}

/**
 * Torn said the player made too many requests (5): Torn counts a player's requests across all their
 * keys, so every active key of theirs rests for `restMs`.
 */
export async function restPlayerKeys(db: Queryable, playerId: number, code: number | null, reason: string, restMs: number): Promise<void> {
  await db.query(
    `update api_keys set rest_until = now() + make_interval(secs => $4::double precision / 1000),
            last_error_code = $2, last_error = $3, updated_at = now()
      where player_id = $1 and state = 'active'`,
    [playerId, code, reason, restMs],
  );
}

/**
 * The recent uses (Unix ms) of each of these players, across all their keys, whatever the keys'
 * state: Torn counts a player's requests, not a key's.
 */
export async function recentUsesOfPlayers(db: Queryable, playerIds: readonly number[]): Promise<Map<number, number[]>> {
  const r = await db.query<{ player_id: number; uses: (number | string)[] }>(
    `select k.player_id, array_agg(u.at) as uses
       from api_keys k cross join lateral unnest(k.recent_uses) as u(at)
      where k.player_id = any($1::int[])
      group by k.player_id`,
    [playerIds],
  );
  return new Map(r.rows.map((row) => [row.player_id, row.uses.map(Number)]));
}

/** Is this key (by digest) stored and not disabled: one Torn accepted and its owner is signed in with? */
export async function keyIsStored(db: Queryable, digest: Buffer): Promise<boolean> {
  const r = await db.query(`select 1 from api_keys where key_digest = $1 and state <> 'disabled'`, [digest]);
  return r.rows.length > 0;
}

/** A member who left the faction, or asked to be forgotten: their keys go with their sessions. */
export async function deletePlayerKeys(tx: Queryable, playerId: number): Promise<number> {
  const r = await tx.query('delete from api_keys where player_id = $1', [playerId]);
  return r.rowCount;
}

/**
 * Sign-out: the player's keys go once they have no live session left. Run it in the sign-out's
 * transaction, holding the player's row lock (see src/auth/sign-out.ts), so a sign-in cannot slip a
 * session in between the check and the delete.
 */
export async function deleteKeysIfSignedOut(tx: Queryable, playerId: number): Promise<number> {
  const r = await tx.query(`delete from api_keys k where k.player_id = $1 and not ${OWNER_SIGNED_IN}`, [playerId]);
  return r.rowCount;
}

/**
 * Housekeeping: keys whose owner has no live session left (their sessions expired) go. The owners'
 * rows are locked first, skipping any a sign-in holds, and the delete runs as a later statement, so
 * it sees every session committed before the locks: a member signing in at that moment keeps their key.
 */
export async function deleteKeysWithoutSession(db: Database): Promise<number> {
  return db.transaction(async (tx) => {
    const owners = await tx.query<{ id: number }>(
      `select p.id from players p
        where exists (select 1 from api_keys k where k.player_id = p.id)
          and not exists (select 1 from sessions s where s.player_id = p.id and s.faction_id = p.faction_id and s.expires_at > now())
        for update of p skip locked`,
    );
    if (owners.rows.length === 0) return 0;
    const r = await tx.query(`delete from api_keys k where k.player_id = any($1::int[]) and not ${OWNER_SIGNED_IN}`, [
      owners.rows.map((o) => o.id),
    ]);
    return r.rowCount;
  });
}

/** Stored keys by state, across every faction (for metrics). */
export async function countKeysByState(db: Queryable): Promise<{ active: number; resting: number; disabled: number }> {
  const r = await db.query<{ active: number; resting: number; disabled: number }>(
    `select (count(*) filter (where ${USABLE}))::int as active,
            (count(*) filter (where ${RESTING}))::int as resting,
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

export interface KeyUpgrade {
  /** Rows rewritten with the HKDF ciphertext and digest. */
  upgraded: number;
  /** Legacy rows dropped because the same key also had a current row (the more recently updated one is kept). */
  merged: number;
  /** Rows neither derivation opens (another TORNCAT_SECRET?): left as they are. */
  unreadable: number;
}

interface KeyRow {
  id: string | number | bigint;
  key_digest: Uint8Array;
  key_ciphertext: Uint8Array;
  updated_at: Date;
}

/**
 * Rewrites `api_keys` rows stored before HKDF with the current ciphertext and digest. Run it at start,
 * before serving sign-ins: sign-in upserts on `key_digest`, so a key whose row still had the legacy
 * digest would otherwise get a second row when its owner signs in again. Idempotent, and safe with
 * several nodes starting at once (each row is re-checked under a row lock).
 */
export async function upgradeStoredKeys(db: Database, vault: KeyVault): Promise<KeyUpgrade> {
  const result: KeyUpgrade = { upgraded: 0, merged: 0, unreadable: 0 };
  const stale = (row: KeyRow): { apiKey: string; digest: Buffer } | null => {
    const { apiKey, legacy } = vault.open(row.key_ciphertext);
    const digest = vault.digest(apiKey);
    return legacy || !digest.equals(Buffer.from(row.key_digest)) ? { apiKey, digest } : null;
  };

  const { rows } = await db.query<KeyRow>('select id, key_digest, key_ciphertext, updated_at from api_keys order by id');
  for (const candidate of rows) {
    let found;
    try {
      found = stale(candidate);
    } catch (e) {
      if (!(e instanceof KeyDecryptError)) throw e;
      result.unreadable++;
      continue;
    }
    if (!found) continue;
    const { apiKey, digest } = found;
    await db.transaction(async (tx) => {
      // Re-read under lock: another node may have upgraded this row meanwhile, or (running the old code
      // during a rolling deploy) signed the same key in again as a second row.
      const locked = await tx.query<KeyRow>(
        'select id, key_digest, key_ciphertext, updated_at from api_keys where id = $1 or key_digest = $2 order by id for update',
        [candidate.id, digest],
      );
      const row = locked.rows.find((r) => String(r.id) === String(candidate.id));
      if (!row || !stale(row)) return;
      const twin = locked.rows.find((r) => String(r.id) !== String(candidate.id));
      if (twin && twin.updated_at.getTime() >= row.updated_at.getTime()) {
        await tx.query('delete from api_keys where id = $1', [row.id]);
        result.merged++;
        return;
      }
      if (twin) {
        await tx.query('delete from api_keys where id = $1', [twin.id]);
        result.merged++;
      }
      // updated_at is left alone: it records the key's own history, not this re-encryption.
      await tx.query('update api_keys set key_digest = $2, key_ciphertext = $3 where id = $1', [row.id, digest, vault.encrypt(apiKey)]);
      result.upgraded++;
    });
  }
  return result;
}
