import type { Queryable } from '../db/database.js';

/**
 * Hospital exits as TornCat saw them, stamped when the sync saw them (as hits are: the two times
 * share the sync's delay, so their difference does not). The war report counts "exit to hit" from them.
 */
export async function recordHospitalExit(tx: Queryable, factionId: number, warId: number, targetId: number): Promise<void> {
  await tx.query('insert into hospital_exits (faction_id, war_id, target_id) values ($1, $2, $3)', [factionId, warId, targetId]);
}

/**
 * Seconds from the target's last exit TornCat saw before each of the war's calls that ended `hit`,
 * to that hit, with the caller; calls whose target was never seen leaving hospital before are left out.
 */
export async function exitToHitTimes(db: Queryable, factionId: number, warId: number): Promise<{ callerId: number; seconds: number }[]> {
  const r = await db.query<{ caller_id: number; seconds: number }>(
    `select c.caller_id, extract(epoch from c.ended_at - e.exited_at)::float8 as seconds
       from calls c
       cross join lateral (
         select max(x.exited_at) as exited_at from hospital_exits x
          where x.faction_id = c.faction_id and x.war_id = c.war_id and x.target_id = c.target_id and x.exited_at <= c.ended_at
       ) e
      where c.faction_id = $1 and c.war_id = $2 and c.state = 'hit' and e.exited_at is not null`,
    [factionId, warId],
  );
  return r.rows.map((row) => ({ callerId: row.caller_id, seconds: Number(row.seconds) }));
}
