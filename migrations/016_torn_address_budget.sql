-- Torn counts requests per IP address (1,000 a minute): every node whose requests leave from one
-- address (TORN_EGRESS_ADDRESS) spends one budget, kept here so that the nodes together stay under it.
-- A row per address and kind holds the uses of the last window (Unix ms of the database's clock,
-- oldest first); one UPDATE prunes, counts and appends under the row's lock, so a grant is exact
-- across nodes. `requests`: every Torn request (sync and sign-in); `unknown_keys`: sign-ins with a
-- key no node holds (UNKNOWN_KEY_CHECKS_PER_MIN), a flood of bad keys being an IP-ban risk too.
create table torn_address_budget (
  address text not null,
  kind text not null check (kind in ('requests', 'unknown_keys')),
  uses bigint[] not null default '{}',
  -- The token of the last granted use: how the granting statement tells its caller it granted.
  last_grant text,
  primary key (address, kind)
);

-- The nodes that poll Torn, what address they send from and how many factions they poll: nodes on
-- an address whose budget is spent hand factions to nodes on an address with spare budget. A node
-- holds the advisory lock (7301003, lock_id) on its poller lock connection while it lives, so the
-- others see a killed node gone as soon as PostgreSQL drops its connection, not after its heartbeats stop.
create table torn_nodes (
  node_id text primary key,
  lock_id integer not null,
  address text not null,
  budget integer not null,
  window_ms integer not null,
  factions integer not null default 0,
  started_at timestamptz not null default now(),
  seen_at timestamptz not null default now()
);
create index torn_nodes_seen_at on torn_nodes (seen_at);
