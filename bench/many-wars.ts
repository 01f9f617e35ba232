// Many factions at war in one database, written straight into the tables (no Torn, no server), to
// measure what one faction's sync costs as the database fills with other factions' wars.

import type { Database } from '../src/db/database.js';

/** Faction ids start here; faction f fights faction f + 1 in war f, with `targets` enemies each. */
export const FIRST_FACTION = 100_000;

/** Adds `count` factions, each at war with `targets` targets in various states and a few open calls. */
export async function seedWars(db: Database, count: number, targets = 25, first = FIRST_FACTION): Promise<number[]> {
  const factions: number[] = [];
  for (let i = 0; i < count; i++) factions.push(first + i * 2);
  await db.transaction(async (tx) => {
    await tx.query(
      `insert into factions (id, name) select f, 'Bench ' || f from unnest($1::int[]) f on conflict do nothing`,
      [factions],
    );
    await tx.query(
      `insert into players (id, name, faction_id) select f * 100, 'Member ' || f, f from unnest($1::int[]) f on conflict do nothing`,
      [factions],
    );
    await tx.query(
      `insert into wars (faction_id, id, enemy_faction_id, enemy_faction_name, started_at, scores)
       select f, f, f + 1, 'Rival ' || f, 1700000000, jsonb_build_object(f::text, 10, (f + 1)::text, 12)
         from unnest($1::int[]) f`,
      [factions],
    );
    await tx.query(
      `insert into targets (faction_id, war_id, player_id, name, level, status_state, status_until)
       select f, f, (f + 1) * 100 + t, 'Target ' || t, 50,
              (array['Okay', 'Hospital', 'Traveling', 'Jail'])[1 + t % 4],
              case when t % 4 = 1 then 1700000000 + t * 60 end
         from unnest($1::int[]) f, generate_series(1, $2::int) t`,
      [factions, targets],
    );
    await tx.query(
      `insert into calls (faction_id, war_id, target_id, caller_id, state, expires_at)
       select f, f, (f + 1) * 100 + 1, f * 100, 'called', now() + interval '15 minutes' from unnest($1::int[]) f`,
      [factions],
    );
  });
  return factions;
}
