import type { Queryable } from '../db/database.js';

export interface WarSummary {
  warId: number;
  scores: Record<string, number>;
  counts: { total: number; okay: number; hospital: number; traveling: number; jail: number; other: number; calls: number };
  /** The next targets to leave hospital, soonest first: who to watch. */
  nextExits: { targetId: number; name: string; until: number }[];
}

/** What the war board shows at a glance: scores, targets by state, open calls, who leaves hospital next. */
export async function readSummary(db: Queryable, factionId: number, warId: number): Promise<WarSummary> {
  const counts = await db.query<{ total: number; okay: number; hospital: number; traveling: number; jail: number; calls: number; scores: Record<string, number> }>(
    `select count(t.*)::int as total,
            count(*) filter (where t.status_state = 'Okay')::int as okay,
            count(*) filter (where t.status_state = 'Hospital')::int as hospital,
            count(*) filter (where t.status_state in ('Traveling', 'Abroad'))::int as traveling,
            count(*) filter (where t.status_state in ('Jail', 'Federal'))::int as jail,
            (select count(*)::int from calls c where c.faction_id = w.faction_id and c.war_id = w.id and c.state = 'called') as calls,
            w.scores
       from wars w left join targets t on t.faction_id = w.faction_id and t.war_id = w.id
      where w.faction_id = $1 and w.id = $2
      group by w.faction_id, w.id, w.scores`,
    [factionId, warId],
  );
  const exits = await db.query<{ player_id: number; name: string; status_until: number }>(
    `select player_id, name, status_until from targets
      where faction_id = $1 and war_id = $2 and status_state = 'Hospital' and status_until is not null
      order by status_until, player_id limit 5`,
    [factionId, warId],
  );
  const c = counts.rows[0];
  return {
    warId,
    scores: c?.scores ?? {},
    counts: {
      total: c?.total ?? 0,
      okay: c?.okay ?? 0,
      hospital: c?.hospital ?? 0,
      traveling: c?.traveling ?? 0,
      jail: c?.jail ?? 0,
      other: (c?.total ?? 0) - (c?.okay ?? 0) - (c?.hospital ?? 0) - (c?.traveling ?? 0) - (c?.jail ?? 0),
      calls: c?.calls ?? 0,
    },
    nextExits: exits.rows.map((r) => ({ targetId: r.player_id, name: r.name, until: r.status_until })),
  };
}
