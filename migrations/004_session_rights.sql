-- A session gives its member the faction's board, stream and calls only while the player is in that
-- faction. When the player's faction changes (they left, or signed in from another faction), the
-- sessions of every other faction go; and whenever sessions go, for whatever reason (sign-out,
-- departure, key removal, expiry), every node hears it on the event channel and closes the
-- streams that stood on them. NOTIFY is a wake-up: nodes also re-check their streams after they
-- reconnect, so one missed while disconnected costs nothing.

create function torncat_end_other_faction_sessions()
returns trigger
language plpgsql
as $$
begin
  delete from sessions where player_id = new.id and faction_id is distinct from new.faction_id;
  return null;
end
$$;

create trigger players_faction_changed
  after update of faction_id on players
  for each row
  when (old.faction_id is distinct from new.faction_id)
  execute function torncat_end_other_faction_sessions();

-- One NOTIFY per statement: {"sessions": playerId} when one player's sessions went, {"sessions": null}
-- ("re-check everyone") when several players' did, which keeps the payload small whatever was deleted.
create function torncat_notify_sessions_ended()
returns trigger
language plpgsql
as $$
declare
  v_players integer[];
begin
  select array_agg(distinct player_id) into v_players from ended;
  if v_players is null then
    return null;
  end if;
  perform pg_notify(
    'torncat_events',
    json_build_object('sessions', case when cardinality(v_players) = 1 then v_players[1] end)::text
  );
  return null;
end
$$;

create trigger sessions_ended
  after delete on sessions
  referencing old table as ended
  for each statement
  execute function torncat_notify_sessions_ended();
