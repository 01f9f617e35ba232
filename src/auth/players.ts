import type { Queryable } from '../db/database.js';
import type { Member } from '../torn/index.js';

// The one module that reads and writes `players` on its own (others join it to show a name): who
// signed in, their name, level and faction position as Torn last showed them, and their faction.

export interface SignedInPlayer {
  id: number;
  name: string;
  level: number;
  factionId: number;
  /** The position Torn gives with the profile; null keeps the stored one. */
  position: string | null;
}

/** Records a member who just signed in (or signs in again), in the caller's transaction. */
export async function savePlayer(tx: Queryable, p: SignedInPlayer): Promise<void> {
  await tx.query(
    // The position Torn gives with the profile lets a leader mark at once, before the next read of
    // the faction's member list (which keeps it current); a profile without one keeps the stored one.
    `insert into players (id, name, level, faction_id, position) values ($1, $2, $3, $4, $5)
     on conflict (id) do update set name = excluded.name, level = excluded.level, faction_id = excluded.faction_id,
       position = coalesce(excluded.position, players.position), updated_at = now()`,
    [p.id, p.name, p.level, p.factionId, p.position],
  );
}

/** Holds the player's row until the transaction ends: one member's decisions are made one at a time. */
export async function lockPlayer(tx: Queryable, playerId: number): Promise<void> {
  await tx.query('select 1 from players where id = $1 for update', [playerId]);
}

/** The player's faction position as last known; null when unknown. */
export async function positionOf(tx: Queryable, playerId: number): Promise<string | null> {
  const r = await tx.query<{ position: string | null }>('select position from players where id = $1', [playerId]);
  return r.rows[0]?.position ?? null;
}

/** Brings known players' names, levels and positions up to Torn's member list (a row changes only when one did). */
export async function updateFromMemberList(tx: Queryable, members: readonly Member[]): Promise<void> {
  for (const m of members) {
    await tx.query(
      `update players set name = $2, level = $3, position = coalesce($4, position), updated_at = now()
        where id = $1 and (name <> $2 or level is distinct from $3 or ($4::text is not null and position is distinct from $4))`,
      [m.id, m.name, m.level, m.position],
    );
  }
}

/** The players this server knows in the faction. */
export async function playersOfFaction(tx: Queryable, factionId: number): Promise<number[]> {
  const r = await tx.query<{ id: number }>('select id from players where faction_id = $1', [factionId]);
  return r.rows.map((row) => row.id);
}

/** Takes the players out of the faction; returns those who were still in it. */
export async function removeFromFaction(tx: Queryable, factionId: number, playerIds: readonly number[]): Promise<number[]> {
  const r = await tx.query<{ id: number }>(
    'update players set faction_id = null, updated_at = now() where faction_id = $1 and id = any($2::int[]) returning id',
    [factionId, playerIds],
  );
  return r.rows.map((row) => row.id);
}
