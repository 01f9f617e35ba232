import type { Queryable } from '../db/database.js';
import { CallError } from './call-error.js';

/** The faction's open war; `no_active_war` without one. */
export async function openWarId(tx: Queryable, factionId: number): Promise<number> {
  const r = await tx.query<{ id: number }>('select id from wars where faction_id = $1 and ended_at is null', [factionId]);
  if (!r.rows[0]) throw new CallError('no_active_war', 'Your faction is not in a ranked war right now');
  return r.rows[0].id;
}

/** A target of the faction's open war, as member commands need it; `no_active_war` or `not_a_target` otherwise. */
export async function warTarget(tx: Queryable, factionId: number, targetId: number): Promise<{ warId: number; name: string }> {
  const warId = await openWarId(tx, factionId);
  const r = await tx.query<{ name: string }>('select name from targets where faction_id = $1 and war_id = $2 and player_id = $3', [
    factionId,
    warId,
    targetId,
  ]);
  if (!r.rows[0]) throw new CallError('not_a_target', `Player ${targetId} is not a member of the enemy faction in this war`);
  return { warId, name: r.rows[0].name };
}
