import type { Queryable } from '../db/database.js';
import type { MemberReport, TornHits, WarReport } from '../protocol/report.js';
import type { TornClock } from '../torn/index.js';
import { exitToHitTimes } from './hospital-exits.js';
import { readTornHits } from './torn-hits.js';
import { paceOf } from '../protocol/score.js';
import { readScoreHistory } from './score-history.js';

export type { WarReport };

interface CountRow {
  id: number;
  name: string;
  calls: number;
  hit: number;
  expired: number;
  released: number;
  open: number;
}

/** The middle value (the mean of the two middle ones for an even count), to the second; null for none. */
function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return Math.round(sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2);
}

/** Adds up Torn's numbers; a field no member has stays null. */
function sumTorn(list: readonly (TornHits | null)[]): TornHits | null {
  const known = list.filter((t): t is TornHits => t !== null);
  if (known.length === 0) return null;
  const add = (k: 'hospitalized' | 'respect' | 'warScore') =>
    known.some((t) => t[k] !== null) ? Math.round(known.reduce((n, t) => n + (t[k] ?? 0), 0) * 100) / 100 : null;
  return {
    warHits: known.reduce((n, t) => n + t.warHits, 0),
    hospitalized: add('hospitalized'),
    respect: add('respect'),
    warScore: add('warScore'),
  };
}

/**
 * How each member's calls went in the faction's war `warId`, now, beside Torn's count of their hits:
 * a war still running gets the report so far. Members are those who called in it, those Torn's
 * reports name, and the faction's members TornCat knows (with zeros). Null when the faction has no
 * such war. Counts cover the calls still kept (RETENTION_DAYS).
 */
export async function readWarReport(db: Queryable, clock: TornClock, factionId: number, warId: number): Promise<WarReport | null> {
  const war = await db.query<{
    enemy_faction_id: number;
    enemy_faction_name: string;
    started_at: number;
    ended_at: number | null;
    target_score: number | null;
  }>('select enemy_faction_id, enemy_faction_name, started_at, ended_at, target_score from wars where faction_id = $1 and id = $2', [
    factionId,
    warId,
  ]);
  if (!war.rows[0]) return null;
  const torn = await readTornHits(db, factionId, warId);
  const tornById = new Map(torn.members.map((m) => [m.playerId, m]));
  const counts = await db.query<CountRow>(
    `with who as (
       select caller_id as id from calls where faction_id = $1 and war_id = $2
       union select id from players where faction_id = $1
       union select unnest($3::int[])
     )
     select who.id, coalesce(p.name, '') as name,
            count(c.id)::int as calls,
            count(c.id) filter (where c.state = 'hit')::int as hit,
            count(c.id) filter (where c.state = 'expired')::int as expired,
            count(c.id) filter (where c.state = 'released')::int as released,
            count(c.id) filter (where c.state = 'called')::int as open
       from who left join players p on p.id = who.id
       left join calls c on c.faction_id = $1 and c.war_id = $2 and c.caller_id = who.id
      group by who.id, p.name
      order by count(c.id) desc, coalesce(p.name, ''), who.id`,
    [factionId, warId, [...tornById.keys()]],
  );
  const times = await exitToHitTimes(db, factionId, warId);
  const members: MemberReport[] = counts.rows.map((r) => {
    const t = tornById.get(r.id);
    return {
      id: r.id,
      name: r.name || t?.name || '',
      calls: r.calls,
      targetHospitalized: r.hit,
      hit: r.hit,
      expired: r.expired,
      released: r.released,
      open: r.open,
      medianExitToHitS: median(times.filter((x) => x.callerId === r.id).map((x) => x.seconds)),
      torn: t ? { warHits: t.warHits, hospitalized: t.hospitalized, respect: t.respect, warScore: t.warScore } : null,
    };
  });
  const sum = (k: 'calls' | 'targetHospitalized' | 'expired' | 'released' | 'open') => members.reduce((n, m) => n + m[k], 0);
  const w = war.rows[0];
  const now = await db.query<{ now: number }>('select extract(epoch from now())::bigint as now');
  const generatedAt = clock.fromDatabase(now.rows[0].now);
  const scoreHistory = await readScoreHistory(db, factionId, warId);
  return {
    warId,
    factionId,
    enemy: { id: w.enemy_faction_id, name: w.enemy_faction_name },
    start: w.started_at,
    end: w.ended_at,
    generatedAt,
    torn: { source: torn.source, readAt: torn.readAt === null ? null : clock.fromDatabase(torn.readAt) },
    target: w.target_score,
    scoreHistory,
    pace: paceOf(scoreHistory, Math.min(generatedAt, w.ended_at ?? Infinity), w.target_score),
    members,
    totals: {
      calls: sum('calls'),
      targetHospitalized: sum('targetHospitalized'),
      hit: sum('targetHospitalized'),
      expired: sum('expired'),
      released: sum('released'),
      open: sum('open'),
      medianExitToHitS: median(times.map((x) => x.seconds)),
      torn: sumTorn(members.map((m) => m.torn)),
    },
  };
}
