-- TornCat's event log and its NOTIFY trigger, as one idempotent file: run it as-is in Supabase's SQL
-- editor (or psql) as often as you like. TornCat's own migrations create the same objects
-- (migrations/002_event_log.sql, never edited once released; a later change to these objects is a new
-- migration and this file together). test/db/sql-script.test.ts checks that running this file on a
-- migrated database changes none of them.
--
-- Every change members must see is a row in faction_events, written in the same transaction as the
-- change, numbered by a per-faction sequence that is gap-free and in commit order: the counter row is
-- incremented under its row lock, so a second writer of the same faction waits for the first to commit.
-- NOTIFY is only a wake-up ({"factionId","seq"}, far below NOTIFY's 8000 bytes); the log is the truth.

create table if not exists faction_event_counters (
  faction_id integer primary key,
  last_seq bigint not null default 0
);

create table if not exists faction_events (
  faction_id integer not null,
  seq bigint not null,
  event text not null,
  data json not null,
  created_at timestamptz not null default now(),
  primary key (faction_id, seq)
);
create index if not exists faction_events_by_age on faction_events (created_at);

-- Appends one event and returns its seq. Call it inside the transaction that makes the change.
create or replace function torncat_append_event(p_faction_id integer, p_event text, p_data json)
returns bigint
language plpgsql
as $$
declare
  v_seq bigint;
begin
  insert into faction_event_counters as c (faction_id, last_seq)
  values (p_faction_id, 1)
  on conflict (faction_id) do update set last_seq = c.last_seq + 1
  returning c.last_seq into v_seq;
  insert into faction_events (faction_id, seq, event, data) values (p_faction_id, v_seq, p_event, p_data);
  return v_seq;
end
$$;

-- NOTIFY takes a database-wide lock at commit, so notify once per faction per transaction: the trigger
-- is deferred to commit, where only the transaction's last event of the faction (the counter's value)
-- sends one. Transactions that write no event never notify.
create or replace function torncat_notify_event()
returns trigger
language plpgsql
as $$
begin
  if new.seq = (select last_seq from faction_event_counters where faction_id = new.faction_id) then
    perform pg_notify('torncat_events', json_build_object('factionId', new.faction_id, 'seq', new.seq)::text);
  end if;
  return null;
end
$$;

drop trigger if exists faction_events_notify on faction_events;
create constraint trigger faction_events_notify
  after insert on faction_events
  deferrable initially deferred
  for each row execute function torncat_notify_event();
