import type { Queryable } from '../db/database.js';
import { appendEvent } from '../realtime/event-log.js';
import type { ScorePoint, WarScoreData } from '../protocol/score.js';

/** Within the last hour every change is kept on the wire: the 15- and 60-minute paces read them. */
const RECENT_S = 3600;
/** Older changes are thinned to one per this many seconds (the last of each): enough for the chart. */
const OLD_STEP_S = 300;

/**
 * Keeps the war's score as Torn showed it at `at` (Torn's clock) when it differs from the last one
 * kept, and tells the faction (`war_score`). Returns whether it was kept.
 */
export async function recordScore(
  tx: Queryable,
  factionId: number,
  warId: number,
  point: ScorePoint,
): Promise<boolean> {
  const r = await tx.query(
    `insert into war_scores (faction_id, war_id, at, ours, theirs)
     select $1, $2, $3, $4, $5
      where not exists (
        select 1 from (select ours, theirs from war_scores where faction_id = $1 and war_id = $2 order by at desc limit 1) last
         where last.ours = $4 and last.theirs = $5)
     on conflict (faction_id, war_id, at) do update set ours = excluded.ours, theirs = excluded.theirs`,
    [factionId, warId, point.at, point.ours, point.theirs],
  );
  if (r.rowCount === 0) return false;
  await appendEvent(tx, factionId, 'war_score', { warId, ...point } satisfies WarScoreData);
  return true;
}

/**
 * The war's score history, oldest first: every change of the last hour before the latest one, and
 * before that the last change of each five minutes.
 */
export async function readScoreHistory(db: Queryable, factionId: number, warId: number): Promise<ScorePoint[]> {
  const r = await db.query<ScorePoint>(
    `with h as (select at, ours, theirs, max(at) over () as latest from war_scores where faction_id = $1 and war_id = $2)
     select at::bigint as at, ours, theirs from (
       select at, ours, theirs, latest,
              row_number() over (partition by case when at > latest - $3 then at else at / $4 end order by at desc) as n
         from h) s
      where n = 1
      order by at`,
    [factionId, warId, RECENT_S, OLD_STEP_S],
  );
  return r.rows.map((p) => ({ at: Number(p.at), ours: p.ours, theirs: p.theirs }));
}
