// Torn's own count of each member's war hits (migration 008): the chain reports read while the war
// runs and the ranked war report read once it is over, and when each was last read. The war report
// shows these beside TornCat's calls.
import type { Database, Queryable } from '../db/database.js';
import type { FactionChainReport, FactionRankedWarReportResponse } from '../torn/index.js';

/** Torn's numbers for one member in one war; null where no report of that kind was read. */
export interface TornMemberHits {
  playerId: number;
  name: string | null;
  /** War hits: the ranked war report's `attacks` once read, else the chain reports' `attacks.war` summed. */
  warHits: number;
  /** The chain reports' `attacks.hospitalize` summed (every chain hit, war or not); null without a chain report. */
  hospitalized: number | null;
  /** The chain reports' `respect.total` summed; null without a chain report. */
  respect: number | null;
  /** The ranked war report's `score`; null until it is read. */
  warScore: number | null;
}

export interface TornWarHits {
  /** Where `warHits` come from; `none` before any report was read. */
  source: 'none' | 'chain_reports' | 'ranked_war_report';
  /** When the newest of them was read (Unix seconds, the database's clock); null for none. */
  readAt: number | null;
  members: TornMemberHits[];
}

/**
 * Keeps one chain report of the faction's war `warId`: the chain, and per attacker the counts Torn
 * gives, in place of what an earlier read of the same chain said. A chain that ended before the war
 * began holds none of its hits and is not kept (returns false).
 */
export async function storeChainReport(db: Database, factionId: number, warId: number, report: FactionChainReport): Promise<boolean> {
  return db.transaction(async (tx) => {
    const war = await tx.query<{ started_at: number }>('select started_at from wars where faction_id = $1 and id = $2', [factionId, warId]);
    const start = war.rows[0]?.started_at;
    if (start === undefined || (report.end > 0 && report.end < Number(start))) return false;
    await tx.query(
      `insert into torn_war_chains (faction_id, war_id, chain_id, started_at, ended_at, read_at)
       values ($1, $2, $3, $4, $5, now())
       on conflict (faction_id, war_id, chain_id) do update set ended_at = excluded.ended_at, read_at = now()`,
      [factionId, warId, report.id, report.start, report.end],
    );
    await tx.query('delete from torn_chain_hits where faction_id = $1 and war_id = $2 and chain_id = $3', [factionId, warId, report.id]);
    // Members Torn lists as non-attackers made no attack in this chain: zeros, so the report says so.
    const rows = [
      ...report.attackers.map((a) => [a.id, a.attacks.war, a.attacks.hospitalize, a.attacks.total, a.respect.total] as const),
      ...report.non_attackers.map((id) => [id, 0, 0, 0, 0] as const),
    ];
    if (rows.length > 0) {
      await tx.query(
        `insert into torn_chain_hits (faction_id, war_id, chain_id, player_id, war_hits, hospitalized, attacks, respect)
         select $1, $2, $3, a.id, a.war, a.hosp, a.total, a.respect
           from unnest($4::int[], $5::int[], $6::int[], $7::int[], $8::float8[]) as a(id, war, hosp, total, respect)
         on conflict do nothing`,
        [factionId, warId, report.id, ...[0, 1, 2, 3, 4].map((i) => rows.map((r) => r[i]))],
      );
    }
    return true;
  });
}

/** Keeps our faction's side of Torn's ranked war report: per member, war hits and score. Returns the members kept. */
export async function storeRankedWarReport(
  db: Database,
  factionId: number,
  warId: number,
  report: FactionRankedWarReportResponse['rankedwarreport'],
): Promise<number> {
  const ours = report.factions.find((f) => f.id === factionId);
  return db.transaction(async (tx) => {
    await tx.query('delete from torn_ranked_war_hits where faction_id = $1 and war_id = $2', [factionId, warId]);
    const members = ours?.members ?? [];
    if (members.length > 0) {
      await tx.query(
        `insert into torn_ranked_war_hits (faction_id, war_id, player_id, name, war_hits, score)
         select $1, $2, m.id, m.name, m.hits, m.score
           from unnest($3::int[], $4::text[], $5::int[], $6::float8[]) as m(id, name, hits, score)`,
        [factionId, warId, members.map((m) => m.id), members.map((m) => m.name), members.map((m) => m.attacks), members.map((m) => m.score)],
      );
    }
    await tx.query(
      `insert into torn_war_reads (faction_id, war_id, ranked_report_read_at) values ($1, $2, now())
       on conflict (faction_id, war_id) do update set ranked_report_read_at = now(), ranked_report_next_try = null`,
      [factionId, warId],
    );
    return members.length;
  });
}

/**
 * Claims the chain report read of this minute: 0 (and the read time set) when none was made in the
 * last `intervalS` seconds, else the milliseconds until one may be. One statement, so two nodes or a
 * restart never both read.
 */
export async function claimChainRead(db: Queryable, factionId: number, warId: number, intervalS: number): Promise<number> {
  const r = await db.query<{ claimed: boolean; wait_ms: number }>(
    `with claim as (
       insert into torn_war_reads (faction_id, war_id, chain_read_at) values ($1, $2, now())
       on conflict (faction_id, war_id) do update set chain_read_at = now()
        where torn_war_reads.chain_read_at is null or torn_war_reads.chain_read_at <= now() - make_interval(secs => $3)
       returning 1
     )
     select exists (select 1 from claim) as claimed,
            coalesce((select ceil(extract(epoch from (chain_read_at + make_interval(secs => $3) - now())) * 1000)
                        from torn_war_reads where faction_id = $1 and war_id = $2), 0)::int as wait_ms`,
    [factionId, warId, intervalS],
  );
  const row = r.rows[0];
  return row.claimed ? 0 : Math.max(1, row.wait_ms);
}

/** Chains of the war last read while still running, other than `latestChainId`: their final numbers are still to read. */
export async function unfinishedChains(db: Queryable, factionId: number, warId: number, latestChainId: number): Promise<number[]> {
  const r = await db.query<{ chain_id: string }>(
    'select chain_id from torn_war_chains where faction_id = $1 and war_id = $2 and ended_at = 0 and chain_id <> $3 order by chain_id',
    [factionId, warId, latestChainId],
  );
  return r.rows.map((row) => Number(row.chain_id));
}

/** Tries of a war's ranked war report before TornCat stops asking (the last ones an hour apart). */
const RANKED_REPORT_TRIES = 10;

/** The faction's newest ended war whose ranked war report is still to read and due for a try; null for none. */
export async function endedWarWithoutReport(db: Queryable, factionId: number): Promise<number | null> {
  const r = await db.query<{ id: number }>(
    `select w.id from wars w
       left join torn_war_reads r on r.faction_id = w.faction_id and r.war_id = w.id
      where w.faction_id = $1 and w.ended_at is not null
        and r.ranked_report_read_at is null
        and coalesce(r.ranked_report_failures, 0) < $2
        and (r.ranked_report_next_try is null or r.ranked_report_next_try <= now())
      order by w.ended_at desc
      limit 1`,
    [factionId, RANKED_REPORT_TRIES],
  );
  return r.rows[0]?.id ?? null;
}

/** A read of the ranked war report failed: the next try waits `baseDelayS`, doubled after each failure (up to 64 times). */
export async function rankedReportFailed(db: Queryable, factionId: number, warId: number, baseDelayS: number): Promise<void> {
  await db.query(
    `insert into torn_war_reads (faction_id, war_id, ranked_report_failures, ranked_report_next_try)
     values ($1, $2, 1, now() + make_interval(secs => $3))
     on conflict (faction_id, war_id) do update
       set ranked_report_failures = torn_war_reads.ranked_report_failures + 1,
           ranked_report_next_try = now() + make_interval(secs => $3 * power(2, least(torn_war_reads.ranked_report_failures, 6)))`,
    [factionId, warId, baseDelayS],
  );
}

/** Torn's numbers for every member of the faction's war `warId` that a report named. */
export async function readTornHits(db: Queryable, factionId: number, warId: number): Promise<TornWarHits> {
  const rows = await db.query<{
    player_id: number;
    name: string | null;
    chain_hits: number | null;
    hospitalized: number | null;
    respect: number | null;
    report_hits: number | null;
    score: number | null;
  }>(
    `with chains as (
       select player_id, sum(war_hits)::int as chain_hits, sum(hospitalized)::int as hospitalized, sum(respect)::float8 as respect
         from torn_chain_hits where faction_id = $1 and war_id = $2 group by player_id
     ), ranked as (
       select player_id, name, war_hits, score from torn_ranked_war_hits where faction_id = $1 and war_id = $2
     )
     select coalesce(c.player_id, r.player_id) as player_id, r.name, c.chain_hits, c.hospitalized, c.respect,
            r.war_hits as report_hits, r.score
       from chains c full join ranked r on r.player_id = c.player_id`,
    [factionId, warId],
  );
  const reads = await db.query<{ ranked: number | null; chains: number | null }>(
    `select extract(epoch from r.ranked_report_read_at)::bigint as ranked,
            (select extract(epoch from max(read_at))::bigint from torn_war_chains c where c.faction_id = $1 and c.war_id = $2) as chains
       from (select 1) one left join torn_war_reads r on r.faction_id = $1 and r.war_id = $2`,
    [factionId, warId],
  );
  const ranked = reads.rows[0]?.ranked === null || reads.rows[0]?.ranked === undefined ? null : Number(reads.rows[0].ranked);
  const chains = reads.rows[0]?.chains === null || reads.rows[0]?.chains === undefined ? null : Number(reads.rows[0].chains);
  const source = ranked !== null ? 'ranked_war_report' : chains !== null ? 'chain_reports' : 'none';
  return {
    source,
    readAt: ranked ?? chains,
    members: rows.rows.map((r) => ({
      playerId: r.player_id,
      name: r.name,
      warHits: source === 'ranked_war_report' ? (r.report_hits ?? 0) : (r.chain_hits ?? 0),
      hospitalized: r.hospitalized,
      respect: r.respect === null ? null : Math.round(r.respect * 100) / 100,
      warScore: r.score === null ? null : Math.round(r.score * 100) / 100,
    })),
  };
}
