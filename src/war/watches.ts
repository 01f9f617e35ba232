import type { Queryable } from '../db/database.js';
import type { Member } from '../auth/sessions.js';
import { appendEvent } from '../realtime/event-log.js';
import type { WatchData } from '../protocol/events.js';
import { warTarget } from './war-target.js';

/**
 * `member` starts (`watching`) or stops watching `targetId` in the open war: one `watch` event
 * when that changes something, none when it was already so.
 */
export async function setWatch(tx: Queryable, member: Member, targetId: number, watching: boolean): Promise<void> {
  const { warId } = await warTarget(tx, member.factionId, targetId);
  const r = watching
    ? await tx.query(
        `insert into watches (faction_id, war_id, player_id, target_id) values ($1, $2, $3, $4)
         on conflict (faction_id, war_id, player_id, target_id) do nothing`,
        [member.factionId, warId, member.playerId, targetId],
      )
    : await tx.query('delete from watches where faction_id = $1 and war_id = $2 and player_id = $3 and target_id = $4', [
        member.factionId,
        warId,
        member.playerId,
        targetId,
      ]);
  if (r.rowCount === 0) return;
  await appendEvent(tx, member.factionId, 'watch', { warId, memberId: member.playerId, targetId, watching } satisfies WatchData);
}

/** The targets `playerId` watches explicitly in the war, by id (the snapshot's `watches`). */
export async function listWatches(db: Queryable, factionId: number, warId: number, playerId: number): Promise<number[]> {
  const r = await db.query<{ target_id: number }>(
    'select target_id from watches where faction_id = $1 and war_id = $2 and player_id = $3 order by target_id',
    [factionId, warId, playerId],
  );
  return r.rows.map((row) => row.target_id);
}
