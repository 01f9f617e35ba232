import type { Queryable } from '../db/database.js';
import { appendEvent } from '../realtime/event-log.js';
import type { WarData } from '../protocol/events.js';
import type { War } from '../protocol/war.js';
import { endOpenCalls } from './calls.js';

export type { War };

interface WarRow {
  id: number;
  faction_id: number;
  enemy_faction_id: number;
  enemy_faction_name: string;
  started_at: number;
  ended_at: number | null;
  target_score: number | null;
  winner_faction_id: number | null;
  scores: Record<string, number>;
}

const WAR_COLUMNS = 'id, faction_id, enemy_faction_id, enemy_faction_name, started_at, ended_at, target_score, winner_faction_id, scores';

function toWar(r: WarRow): War {
  return {
    id: r.id,
    factionId: r.faction_id,
    enemy: { id: r.enemy_faction_id, name: r.enemy_faction_name },
    start: r.started_at,
    end: r.ended_at,
    target: r.target_score,
    winner: r.winner_faction_id,
    scores: r.scores,
    active: r.ended_at === null,
  };
}

/** The faction's open war, or else its most recent one (members still want the final score). */
export async function latestWar(db: Queryable, factionId: number): Promise<War | null> {
  const r = await db.query<WarRow>(
    `select ${WAR_COLUMNS} from wars where faction_id = $1 order by (ended_at is null) desc, started_at desc limit 1`,
    [factionId],
  );
  return r.rows[0] ? toWar(r.rows[0]) : null;
}

export async function openWar(db: Queryable, factionId: number): Promise<War | null> {
  const r = await db.query<WarRow>(`select ${WAR_COLUMNS} from wars where faction_id = $1 and ended_at is null`, [factionId]);
  return r.rows[0] ? toWar(r.rows[0]) : null;
}

/** A ranked war as Torn reports it, from our faction's side. */
export interface RankedWarReport {
  id: number;
  start: number;
  end: number | null;
  target: number | null;
  winner: number | null;
  factions: { id: number; name: string; score: number }[];
}

function warEventData(w: War): Record<string, unknown> {
  return {
    warId: w.id,
    state: w.active ? 'started' : 'ended',
    enemy: w.enemy,
    start: w.start,
    end: w.end,
    target: w.target,
    winner: w.winner,
    scores: w.scores,
  } satisfies WarData;
}

/**
 * Records what Torn says of the faction's ranked war (null: none listed). A war that starts or ends
 * logs a `war` event; an open war Torn no longer lists (or that another war replaced) is ended.
 */
export async function recordRankedWar(
  tx: Queryable,
  factionId: number,
  report: RankedWarReport | null,
): Promise<{ changed: 'started' | 'ended' | 'scores' | null; war: War | null }> {
  const open = await openWar(tx, factionId);
  let ended: War | null = null;
  if (open && (!report || report.id !== open.id)) {
    const r = await tx.query<WarRow>(
      `update wars set ended_at = extract(epoch from now())::bigint, updated_at = now()
        where faction_id = $1 and id = $2 returning ${WAR_COLUMNS}`,
      [factionId, open.id],
    );
    ended = toWar(r.rows[0]);
    await warChanged(tx, ended);
  }
  const enemy = report?.factions.find((f) => f.id !== factionId);
  if (!report || !enemy) return { changed: ended ? 'ended' : null, war: ended };

  const scores = Object.fromEntries(report.factions.map((f) => [String(f.id), f.score]));
  const r = await tx.query<WarRow & { inserted: boolean; was_ended: number | null; old_scores: Record<string, number> | null }>(
    `with old as (select ended_at, scores from wars where faction_id = $1 and id = $2)
     insert into wars (faction_id, id, enemy_faction_id, enemy_faction_name, started_at, ended_at, target_score, winner_faction_id, scores)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb)
     on conflict (faction_id, id) do update
       set enemy_faction_name = excluded.enemy_faction_name, started_at = excluded.started_at,
           ended_at = coalesce(excluded.ended_at, wars.ended_at), target_score = excluded.target_score,
           winner_faction_id = excluded.winner_faction_id, scores = excluded.scores, updated_at = now()
     returning ${WAR_COLUMNS}, (xmax = 0) as inserted, (select ended_at from old) as was_ended, (select scores from old) as old_scores`,
    [factionId, report.id, enemy.id, enemy.name, report.start, report.end, report.target, report.winner, JSON.stringify(scores)],
  );
  const row = r.rows[0];
  const war = toWar(row);
  let changed: 'started' | 'ended' | 'scores' | null = null;
  if (row.inserted) changed = war.active ? 'started' : null;
  else if (row.was_ended === null && !war.active) changed = 'ended';
  else if (JSON.stringify(row.old_scores) !== JSON.stringify(war.scores)) changed = 'scores';
  if (changed === 'started' || changed === 'ended') await warChanged(tx, war);
  return { changed, war };
}

/** Logs the `war` event; a war that ends takes its open calls with it, so boards clear. */
async function warChanged(tx: Queryable, war: War): Promise<void> {
  await appendEvent(tx, war.factionId, 'war', warEventData(war));
  if (!war.active) await endOpenCalls(tx, war.factionId, war.id, 'released');
}
