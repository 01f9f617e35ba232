-- Torn API at war scale: what the key pool remembers of each key, and the war_summary materialized view.

-- Each key's uses in the last minute (Unix ms), written through on every use, so that a node taking a
-- war over from another starts from the real budget left instead of a blank minute.
alter table api_keys add column recent_uses bigint[] not null default '{}';
-- Set when the owner of a disabled key was told (the `key_disabled` error, once); cleared on disabling.
alter table api_keys add column owner_notified_at timestamptz;

-- What a war board shows at a glance, one row per war: scores, targets by state, open calls and the
-- next hospital exits. war_summary_live computes it; war_summary is its materialized copy, refreshed
-- CONCURRENTLY (hence the unique index) after a sync that changed something.
create view war_summary_live as
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
                     and h.status_until is not null
                   order by h.status_until, h.player_id
                   limit 5) h),
         '[]'::jsonb) as next_exits
  from wars w
  left join targets t on t.faction_id = w.faction_id and t.war_id = w.id
 group by w.faction_id, w.id;

create materialized view war_summary as select * from war_summary_live;
create unique index war_summary_by_war on war_summary (faction_id, war_id);

-- The summary content last sent as a `war_summary` event, per war: a refresh sends one only when
-- the content differs from it.
create table war_summary_sent (
  faction_id integer not null,
  war_id integer not null,
  content jsonb not null,
  seq bigint not null,
  primary key (faction_id, war_id),
  foreign key (faction_id, war_id) references wars (faction_id, id) on delete cascade
);
