import type { Queryable } from '../db/database.js';
import { appendEvent } from '../realtime/event-log.js';
import type { WarData } from '../protocol/events.js';
import type { War, WarPhase } from '../protocol/war.js';
import type { TornClock } from '../torn/index.js';
import { endOpenCalls } from './calls.js';
import { recordScore } from './score-history.js';
import { queueDiscord } from '../discord/outbox.js';
import { warEndedMessage, warStartedMessage } from '../discord/messages.js';

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

/** Upcoming until its start on Torn's clock: Torn lists a matched war before it starts. */
function phaseOf(r: WarRow, clock: TornClock): WarPhase {
  if (r.ended_at !== null) return 'ended';
  return r.started_at > clock.now() ? 'upcoming' : 'active';
}

function toWar(r: WarRow, clock: TornClock): War {
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
    phase: phaseOf(r, clock),
  };
}

/** The faction's open war, or else its most recent one (members still want the final score). */
export async function latestWar(db: Queryable, clock: TornClock, factionId: number): Promise<War | null> {
  const r = await db.query<WarRow>(
    `select ${WAR_COLUMNS} from wars where faction_id = $1 order by (ended_at is null) desc, started_at desc limit 1`,
    [factionId],
  );
  return r.rows[0] ? toWar(r.rows[0], clock) : null;
}

export async function openWar(db: Queryable, clock: TornClock, factionId: number): Promise<War | null> {
  const r = await db.query<WarRow>(`select ${WAR_COLUMNS} from wars where faction_id = $1 and ended_at is null`, [factionId]);
  return r.rows[0] ? toWar(r.rows[0], clock) : null;
}

/** A ranked war as Torn reports it, from our faction's side. */
export interface RankedWarReport {
  id: number;
  start: number;
  /** null while the war is not over. */
  end: number | null;
  target: number | null;
  winner: number | null;
  factions: { id: number; name: string; score: number }[];
}

/** Torn's ranked war object (v2 `faction/wars`), as far as the report needs it. */
export interface TornRankedWar {
  war_id: number;
  start: number;
  end: number | null;
  target?: number | null;
  winner?: number | null;
  factions: { id: number; name: string; score: number }[];
}

/**
 * What Torn's ranked war object says, at `tornNow` (Unix seconds, Torn's clock). Torn shows a war
 * that is not over with an `end` of 0 (or null), and may show one in the future: neither has ended.
 */
export function rankedWarReport(ranked: TornRankedWar, tornNow: number): RankedWarReport {
  return {
    id: ranked.war_id,
    start: ranked.start,
    end: ranked.end && ranked.end <= tornNow ? ranked.end : null,
    target: ranked.target ?? null,
    winner: ranked.winner ?? null,
    factions: ranked.factions.map((f) => ({ id: f.id, name: f.name, score: f.score })),
  };
}

function warEventData(w: War): WarData {
  return {
    warId: w.id,
    state: w.phase === 'upcoming' ? 'upcoming' : w.phase === 'active' ? 'started' : 'ended',
    enemy: w.enemy,
    start: w.start,
    end: w.end,
    target: w.target,
    winner: w.winner,
    scores: w.scores,
  };
}

/**
 * Records what Torn says of the faction's ranked war (null: none listed). A war first seen, before
 * its start (`upcoming`) or after (`started`), or that ends, logs a `war` event; an open war Torn no
 * longer lists (or that another war replaced) is ended.
 */
export async function recordRankedWar(
  tx: Queryable,
  clock: TornClock,
  factionId: number,
  report: RankedWarReport | null,
): Promise<{ changed: 'upcoming' | 'started' | 'ended' | 'scores' | null; war: War | null }> {
  const open = await openWar(tx, clock, factionId);
  let ended: War | null = null;
  if (open && (!report || report.id !== open.id)) {
    // Torn gave no end: ours is when we noticed, on Torn's clock like every war time.
    const r = await tx.query<WarRow>(
      `update wars set ended_at = $3, updated_at = now()
        where faction_id = $1 and id = $2 returning ${WAR_COLUMNS}`,
      [factionId, open.id, clock.now()],
    );
    ended = toWar(r.rows[0], clock);
    await warChanged(tx, clock, ended);
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
  const war = toWar(row, clock);
  let changed: 'upcoming' | 'started' | 'ended' | 'scores' | null = null;
  if (row.inserted) changed = war.phase === 'upcoming' ? 'upcoming' : war.phase === 'active' ? 'started' : null;
  else if (row.was_ended === null && !war.active) changed = 'ended';
  else if (JSON.stringify(row.old_scores) !== JSON.stringify(war.scores)) changed = 'scores';
  if (changed === 'upcoming' || changed === 'started' || changed === 'ended') await warChanged(tx, clock, war);
  // The score over time, from the start on: an upcoming war's 0 : 0 would only slow its pace.
  if (changed !== null && changed !== 'upcoming' && war.phase !== 'upcoming') {
    await recordScore(tx, factionId, war.id, {
      at: Math.min(clock.now(), war.end ?? Infinity),
      ours: war.scores[String(factionId)] ?? 0,
      theirs: war.scores[String(war.enemy.id)] ?? 0,
    });
  }
  return { changed, war };
}

/**
 * An upcoming war reached its start: its `war` event (`started`), so boards re-read the snapshot.
 * The poller that saw the war upcoming sends it, once.
 */
export async function announceWarStart(tx: Queryable, war: War): Promise<void> {
  await appendEvent(tx, war.factionId, 'war', warEventData({ ...war, phase: 'active' }));
  await queueDiscord(tx, war.factionId, `war:${war.id}:started`, warStartedMessage(war.enemy.name, war.target));
  await recordScore(tx, war.factionId, war.id, {
    at: war.start,
    ours: war.scores[String(war.factionId)] ?? 0,
    theirs: war.scores[String(war.enemy.id)] ?? 0,
  });
}

/** Logs the `war` event; a war that ends takes its open calls with it, so boards clear. */
async function warChanged(tx: Queryable, clock: TornClock, war: War): Promise<void> {
  await appendEvent(tx, war.factionId, 'war', warEventData(war));
  if (war.phase === 'active') await queueDiscord(tx, war.factionId, `war:${war.id}:started`, warStartedMessage(war.enemy.name, war.target));
  if (!war.active) {
    await endOpenCalls(tx, clock, war.factionId, war.id, 'released');
    const ours = war.scores[String(war.factionId)] ?? 0;
    const theirs = war.scores[String(war.enemy.id)] ?? 0;
    const won = war.winner === null ? null : war.winner === war.factionId;
    await queueDiscord(tx, war.factionId, `war:${war.id}:ended`, warEndedMessage(war.enemy.name, ours, theirs, won));
  }
}
