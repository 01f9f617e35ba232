-- Discord: the faction's webhook (set by a member whose position may mark; its URL encrypted like
-- the API keys) and the outbox of messages to post to it. A message is written in the transaction of
-- what it tells, once per event (`event_key`), and any node posts it: the node that claims the
-- faction's webhook row (FOR UPDATE SKIP LOCKED, then a lease) is the only one posting for it.
create table discord_webhooks (
  faction_id integer primary key references factions (id),
  url_encrypted bytea not null,
  set_by integer not null references players (id),
  set_at timestamptz not null default now(),
  -- Discord's rate limit for this webhook: nothing is posted before this.
  next_send_at timestamptz not null default now(),
  -- The node posting for the faction holds it until then; a node that dies lets go by itself.
  lease_until timestamptz,
  last_sent_at timestamptz,
  -- Why the last message failed, in words members can act on (never the URL).
  last_error text
);

create table discord_outbox (
  id bigserial primary key,
  faction_id integer not null references factions (id),
  -- What the message tells, once: `war:5001:started`, `mark:5001:3001:1780000000`, …
  event_key text not null,
  content text not null,
  created_at timestamptz not null default now(),
  attempts integer not null default 0,
  next_attempt_at timestamptz not null default now(),
  sent_at timestamptz,
  -- Given up (too old to matter, or Discord refused it for good), with why.
  failed_at timestamptz,
  last_error text,
  unique (faction_id, event_key)
);
create index discord_outbox_pending on discord_outbox (faction_id, id) where sent_at is null and failed_at is null;
