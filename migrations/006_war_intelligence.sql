-- War intelligence: what Torn says about a target beyond its state (revivable, early discharge),
-- travel as TornCat saw it start, early exits, the faction's chain, leaders' marks, assist requests,
-- members' watches, and calls that wait for their target's hospital exit.

alter table targets
  add column is_revivable boolean,
  add column has_early_discharge boolean,
  -- When TornCat first saw the current flight (Torn's clock): flight times count from it.
  add column travel_seen_at bigint,
  -- When the target last left hospital before its `until` (Torn's clock).
  add column early_exit_at bigint,
  -- The country of a hospital abroad ("In a Swiss hospital …" → Switzerland), null in Torn City.
  add column hospital_country text;

-- The summary's next exits leave out targets in a hospital abroad: their exit puts them abroad,
-- not in reach of members in Torn City. Same columns as 003's view, so war_summary keeps working.
create or replace view war_summary_live as
select w.faction_id,
       w.id as war_id,
       w.scores,
       count(t.player_id)::int as total,
       (count(*) filter (where t.status_state = 'Okay'))::int as okay,
       (count(*) filter (where t.status_state = 'Hospital'))::int as hospital,
       (count(*) filter (where t.status_state in ('Traveling', 'Abroad')))::int as traveling,
       (count(*) filter (where t.status_state in ('Jail', 'Federal')))::int as jail,
       (select count(*)::int from calls c where c.faction_id = w.faction_id and c.war_id = w.id and c.state = 'called') as calls,
       coalesce(
         (select jsonb_agg(jsonb_build_object('targetId', h.player_id, 'name', h.name, 'until', h.status_until)
                           order by h.status_until, h.player_id)
            from (select player_id, name, status_until from targets h
                   where h.faction_id = w.faction_id and h.war_id = w.id and h.status_state = 'Hospital'
                     and h.status_until is not null and h.hospital_country is null
                   order by h.status_until, h.player_id
                   limit 5) h),
         '[]'::jsonb) as next_exits
  from wars w
  left join targets t on t.faction_id = w.faction_id and t.war_id = w.id
 group by w.faction_id, w.id;

-- Faction positions ("Leader", "Co-leader", …) from Torn's members list: marks are for some of them.
alter table players add column position text;

alter table calls
  add column waiting_for_exit boolean not null default false,
  -- The TTL the call was made with: a call that waits for its target's exit starts it then.
  add column ttl_ms integer;

-- Hospital exits TornCat saw (when it saw them): the war report's "exit to hit" times count from them.
create table hospital_exits (
  faction_id integer not null,
  war_id integer not null,
  target_id integer not null,
  exited_at timestamptz not null default now(),
  foreign key (faction_id, war_id, target_id) references targets (faction_id, war_id, player_id) on delete cascade
);
create index hospital_exits_by_target on hospital_exits (faction_id, war_id, target_id, exited_at);

create table chains (
  faction_id integer primary key references factions (id),
  current integer not null,
  max integer not null,
  timeout integer not null,
  cooldown integer not null,
  modifier real not null,
  started_at bigint not null,
  ended_at bigint not null,
  -- When Torn answered, on Torn's clock: timeout and cooldown count down from it.
  read_at bigint not null,
  updated_at timestamptz not null default now()
);

create table target_marks (
  faction_id integer not null,
  war_id integer not null,
  target_id integer not null,
  mark text not null check (mark in ('priority', 'avoid', 'note')),
  note text check (note is null or length(note) <= 140),
  set_by integer not null references players (id),
  set_at timestamptz not null default now(),
  primary key (faction_id, war_id, target_id),
  foreign key (faction_id, war_id, target_id) references targets (faction_id, war_id, player_id) on delete cascade
);

create table assists (
  id bigint generated always as identity primary key,
  faction_id integer not null,
  war_id integer not null,
  target_id integer not null,
  requester_id integer not null references players (id),
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  foreign key (faction_id, war_id, target_id) references targets (faction_id, war_id, player_id) on delete cascade
);
-- One open request per member and target: asking again renews it.
create unique index assists_one_per_requester on assists (faction_id, war_id, target_id, requester_id);
create index assists_by_expiry on assists (expires_at);

create table watches (
  faction_id integer not null,
  war_id integer not null,
  player_id integer not null references players (id) on delete cascade,
  target_id integer not null,
  created_at timestamptz not null default now(),
  primary key (faction_id, war_id, player_id, target_id),
  foreign key (faction_id, war_id, target_id) references targets (faction_id, war_id, player_id) on delete cascade
);
