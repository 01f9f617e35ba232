import type { Database, Queryable } from '../db/database.js';
import type { WarSummary } from '../protocol/summary.js';
import { appendEvent } from '../realtime/event-log.js';

export type { WarSummary };

interface SummaryRow {
  war_id: number;
  scores: Record<string, number>;
  total: number;
  okay: number;
  hospital: number;
  traveling: number;
  jail: number;
  calls: number;
  next_exits: { targetId: number; name: string; until: number }[];
}

const COLUMNS = 'war_id, scores, total, okay, hospital, traveling, jail, calls, next_exits';

function toSummary(r: SummaryRow): WarSummary {
  return {
    warId: r.war_id,
    scores: r.scores,
    counts: {
      total: r.total,
      okay: r.okay,
      hospital: r.hospital,
      traveling: r.traveling,
      jail: r.jail,
      other: r.total - r.okay - r.hospital - r.traveling - r.jail,
      calls: r.calls,
    },
    nextExits: r.next_exits.map((e) => ({ targetId: e.targetId, name: e.name, until: Number(e.until) })),
  };
}

/**
 * What the war board shows at a glance, computed for this one war from `war_summary_live`: the
 * filter is on the view's grouping columns, so PostgreSQL applies it before aggregating and the
 * cost is this war's targets and calls, whatever else the database holds.
 */
export async function readSummary(db: Queryable, factionId: number, warId: number): Promise<WarSummary | null> {
  const live = await db.query<SummaryRow>(`select ${COLUMNS} from war_summary_live where faction_id = $1 and war_id = $2`, [
    factionId,
    warId,
  ]);
  return live.rows[0] ? toSummary(live.rows[0]) : null;
}

/** Lock key of the materialized view's refresh: one node at a time does it. */
const VIEW_REFRESH_LOCK = 7_301_003;

/**
 * Refreshes the seed's `war_summary` materialized view, which SQL users (Supabase's dashboard, a
 * report) read; TornCat itself reads per war. It recomputes every war of every faction, so it runs
 * on a slow timer outside any sync, and only on the node that gets the lock. Returns whether it ran.
 */
export async function refreshSummaryView(db: Database): Promise<boolean> {
  return db.transaction(async (tx) => {
    const got = await tx.query<{ ok: boolean }>('select pg_try_advisory_xact_lock($1) as ok', [VIEW_REFRESH_LOCK]);
    if (!got.rows[0]?.ok) return false;
    await tx.query('refresh materialized view concurrently war_summary');
    return true;
  });
}

/** The `war_summary` event's data (docs/protocol.md: `{"warId","scores","counts","nextExits"}`). */
function summaryEventData(s: WarSummary): WarSummary {
  return { warId: s.warId, scores: s.scores, counts: s.counts, nextExits: s.nextExits };
}

/**
 * Logs a `war_summary` event, inside the caller's transaction, for each listed war whose summary
 * differs from the one last sent. Returns the summaries sent.
 */
export async function refreshSummaries(tx: Queryable, factionId: number, warIds: readonly number[]): Promise<WarSummary[]> {
  const sent: WarSummary[] = [];
  for (const warId of warIds) {
    const summary = await readSummary(tx, factionId, warId);
    if (!summary) continue;
    const content = summaryEventData(summary);
    // Compared as jsonb, so key order and number formatting never count as a change.
    const last = await tx.query<{ same: boolean }>(
      'select content = $3::jsonb as same from war_summary_sent where faction_id = $1 and war_id = $2',
      [factionId, warId, JSON.stringify(content)],
    );
    if (last.rows[0]?.same) continue;
    const seq = await appendEvent(tx, factionId, 'war_summary', content);
    await tx.query(
      `insert into war_summary_sent (faction_id, war_id, content, seq) values ($1, $2, $3::jsonb, $4)
       on conflict (faction_id, war_id) do update set content = excluded.content, seq = excluded.seq`,
      [factionId, warId, JSON.stringify(content), seq],
    );
    sent.push(summary);
  }
  return sent;
}
