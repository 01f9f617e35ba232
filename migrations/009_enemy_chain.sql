-- The enemy's chain in each ranked war, as the war's own answer shows it (Torn's `wars.ranked.factions[].chain`,
-- the count only): read with the answers TornCat asks for anyway. One row per war, kept with the war.
create table enemy_chains (
  faction_id integer not null,
  war_id integer not null,
  enemy_id integer not null,
  current integer not null check (current >= 0),
  -- When this chain was first seen (its first count, or the count after a drop), Torn's clock.
  since bigint not null,
  -- When the count shown was read, Torn's clock.
  seen_at bigint not null,
  -- Five minutes after the read that saw the count go up: the latest the chain breaks without a hit.
  breaks_by bigint,
  updated_at timestamptz not null default now(),
  primary key (faction_id, war_id),
  foreign key (faction_id, war_id) references wars (faction_id, id) on delete cascade
);
