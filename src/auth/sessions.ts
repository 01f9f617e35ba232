import { createHash, randomBytes } from 'node:crypto';
import type { Queryable } from '../db/database.js';

/** Who is behind a valid token. */
export interface Member {
  playerId: number;
  playerName: string;
  factionId: number;
}

/** SHA-256 of a bearer token: what the database keeps, and what open streams are known by. */
export function tokenDigest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

/** A new random token (32 bytes); only its SHA-256 is stored. */
export async function createSession(db: Queryable, playerId: number, factionId: number, ttlMs: number): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await db.query(
    `insert into sessions (token_digest, player_id, faction_id, expires_at)
     values ($1, $2, $3, now() + make_interval(secs => $4::double precision / 1000))`,
    [tokenDigest(token), playerId, factionId, ttlMs],
  );
  return token;
}

/** A live session: who is behind it, and whether Torn refused their stored key since they last heard. */
export interface SessionInfo {
  member: Member;
  /** A disabled key whose owner was not told yet (see takeKeyDisabledNotice). */
  keyNoticePending: boolean;
}

/**
 * The member behind `token`; null when unknown or expired. The sliding expiry moves at most once a
 * minute, so the streams' and long-polls' frequent requests read and do not write.
 */
export async function resolveSession(db: Queryable, token: string, ttlMs: number): Promise<SessionInfo | null> {
  if (token.length < 20 || token.length > 100) return null;
  const digest = tokenDigest(token);
  const r = await db.query<{ player_id: number; faction_id: number; name: string; stale: boolean; key_notice: boolean }>(
    `select s.player_id, s.faction_id, p.name, s.last_seen_at < now() - interval '60 seconds' as stale,
            exists (select 1 from api_keys k where k.player_id = s.player_id and k.state = 'disabled' and k.owner_notified_at is null) as key_notice
       from sessions s join players p on p.id = s.player_id and p.faction_id = s.faction_id
      where s.token_digest = $1 and s.expires_at > now()`,
    [digest],
  );
  const row = r.rows[0];
  if (!row) return null;
  if (row.stale) {
    // The update waits for a sign-out holding the row: when that deleted it, the session is gone.
    const moved = await db.query(
      `update sessions set last_seen_at = now(), expires_at = now() + make_interval(secs => $2::double precision / 1000) where token_digest = $1`,
      [digest, ttlMs],
    );
    if (moved.rowCount === 0) return null;
  }
  return { member: { playerId: row.player_id, playerName: row.name, factionId: row.faction_id }, keyNoticePending: row.key_notice };
}

/** Whose session `token` opened, expired or not; null when there is none. */
export async function sessionOwner(db: Queryable, token: string): Promise<number | null> {
  const r = await db.query<{ player_id: number }>('select player_id from sessions where token_digest = $1', [tokenDigest(token)]);
  return r.rows[0]?.player_id ?? null;
}

export async function deleteSession(db: Queryable, token: string): Promise<boolean> {
  const r = await db.query('delete from sessions where token_digest = $1', [tokenDigest(token)]);
  return r.rowCount > 0;
}

/**
 * Which of these token digests still stand for a live session whose player is in its faction.
 * Open streams are re-checked with it whenever the database says sessions ended.
 */
export async function liveSessionDigests(db: Queryable, digests: readonly Buffer[]): Promise<Set<string>> {
  if (digests.length === 0) return new Set();
  const r = await db.query<{ token_digest: Uint8Array }>(
    `select s.token_digest
       from sessions s join players p on p.id = s.player_id and p.faction_id = s.faction_id
      where s.token_digest = any($1::bytea[]) and s.expires_at > now()`,
    [digests],
  );
  return new Set(r.rows.map((row) => Buffer.from(row.token_digest).toString('hex')));
}

/** A member who left the faction, or asked to be forgotten, loses every session (their streams close: see migration 004). */
export async function deletePlayerSessions(tx: Queryable, playerId: number): Promise<number> {
  const r = await tx.query('delete from sessions where player_id = $1', [playerId]);
  return r.rowCount;
}

/** Housekeeping: sessions past their expiry go (their streams close: see migration 004). */
export async function deleteExpiredSessions(db: Queryable): Promise<number> {
  const r = await db.query('delete from sessions where expires_at <= now()');
  return r.rowCount;
}
