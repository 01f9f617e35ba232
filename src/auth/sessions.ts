import { createHash, randomBytes } from 'node:crypto';
import type { Queryable } from '../db/database.js';

/** Who is behind a valid token. */
export interface Member {
  playerId: number;
  playerName: string;
  factionId: number;
}

function tokenDigest(token: string): Buffer {
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

/** The member behind `token`, extending the sliding expiry; null when unknown or expired. */
export async function resolveSession(db: Queryable, token: string, ttlMs: number): Promise<Member | null> {
  if (token.length < 20 || token.length > 100) return null;
  const r = await db.query<{ player_id: number; faction_id: number; name: string }>(
    `update sessions s
        set last_seen_at = now(), expires_at = now() + make_interval(secs => $2::double precision / 1000)
       from players p
      where s.token_digest = $1 and s.expires_at > now() and p.id = s.player_id
      returning s.player_id, s.faction_id, p.name`,
    [tokenDigest(token), ttlMs],
  );
  const row = r.rows[0];
  return row ? { playerId: row.player_id, playerName: row.name, factionId: row.faction_id } : null;
}

export async function deleteSession(db: Queryable, token: string): Promise<boolean> {
  const r = await db.query('delete from sessions where token_digest = $1', [tokenDigest(token)]);
  return r.rowCount > 0;
}

/** A member who left the faction (or whose key died) loses every session. */
export async function deletePlayerSessions(db: Queryable, playerId: number): Promise<number> {
  const r = await db.query('delete from sessions where player_id = $1', [playerId]);
  return r.rowCount;
}
