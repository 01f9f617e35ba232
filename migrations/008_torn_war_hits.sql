-- Torn's own count of each member's war hits, beside TornCat's calls: from the chain reports read while
-- a war runs (`/v2/faction/chainreport`, one row per chain and attacker) and from the ranked war report
-- read once the war is over (`/v2/faction/{rankedWarId}/rankedwarreport`). A call's "target went into
-- hospital" says nothing of who put it there; these say who hit.

-- The chains TornCat read during a war: a chain still running (ended_at 0) is read again until it ends.
create table torn_war_chains (
  faction_id integer not null,
  war_id integer not null,
  chain_id bigint not null,
  started_at bigint not null,
  ended_at bigint not null,
  read_at timestamptz not null default now(),
  primary key (faction_id, war_id, chain_id),
  foreign key (faction_id, war_id) references wars (faction_id, id) on delete cascade
);

-- Per attacker of one chain: `attacks.war`, `attacks.hospitalize`, `attacks.total`, `respect.total`.
create table torn_chain_hits (
  faction_id integer not null,
  war_id integer not null,
  chain_id bigint not null,
  player_id integer not null,
  war_hits integer not null,
  hospitalized integer not null,
  attacks integer not null,
  respect double precision not null,
  primary key (faction_id, war_id, chain_id, player_id),
  foreign key (faction_id, war_id, chain_id) references torn_war_chains (faction_id, war_id, chain_id) on delete cascade
);

-- Per member of our faction in Torn's ranked war report: `attacks` and `score`.
create table torn_ranked_war_hits (
  faction_id integer not null,
  war_id integer not null,
  player_id integer not null,
  name text not null,
  war_hits integer not null,
  score double precision not null,
  primary key (faction_id, war_id, player_id),
  foreign key (faction_id, war_id) references wars (faction_id, id) on delete cascade
);

-- When each read last ran, so that every node (and a restart) keeps to once a minute and to once.
create table torn_war_reads (
  faction_id integer not null,
  war_id integer not null,
  chain_read_at timestamptz,
  ranked_report_read_at timestamptz,
  ranked_report_failures integer not null default 0,
  ranked_report_next_try timestamptz,
  primary key (faction_id, war_id),
  foreign key (faction_id, war_id) references wars (faction_id, id) on delete cascade
);
