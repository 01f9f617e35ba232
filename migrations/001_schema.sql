-- Factions, players, their API keys and sessions; wars as each faction sees them, their targets and calls.
-- Times that come from Torn (status until, war start/end, last action) are Unix seconds on Torn's clock;
-- times we make ourselves are timestamptz.

create table factions (
  id integer primary key,
  name text not null,
  updated_at timestamptz not null default now()
);

create table players (
  id integer primary key,
  name text not null,
  level integer,
  faction_id integer references factions (id),
  updated_at timestamptz not null default now()
);
create index players_by_faction on players (faction_id);

create table api_keys (
  id bigint generated always as identity primary key,
  player_id integer not null references players (id) on delete cascade,
  -- HMAC-SHA256 of the key under TORNCAT_SECRET: finds a key again without decrypting every row.
  key_digest bytea not null unique,
  -- AES-256-GCM: 12-byte IV, 16-byte tag, then the ciphertext.
  key_ciphertext bytea not null,
  state text not null default 'active' check (state in ('active', 'disabled')),
  rest_until timestamptz,
  last_error_code integer,
  last_error text,
  last_used_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index api_keys_by_player on api_keys (player_id);

create table sessions (
  -- SHA-256 of the bearer token: a stolen database does not hand out sessions.
  token_digest bytea primary key,
  player_id integer not null references players (id) on delete cascade,
  faction_id integer not null references factions (id),
  created_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  expires_at timestamptz not null
);
create index sessions_by_player on sessions (player_id);

create table wars (
  faction_id integer not null references factions (id),
  id integer not null, -- Torn's ranked war id
  enemy_faction_id integer not null,
  enemy_faction_name text not null,
  started_at bigint not null,
  ended_at bigint,
  target_score integer,
  winner_faction_id integer,
  scores jsonb not null default '{}',
  updated_at timestamptz not null default now(),
  primary key (faction_id, id)
);
create unique index wars_one_open_per_faction on wars (faction_id) where ended_at is null;

create table targets (
  faction_id integer not null,
  war_id integer not null,
  player_id integer not null,
  name text not null,
  level integer not null default 0,
  status_state text not null,
  status_description text not null default '',
  status_details text not null default '',
  status_until bigint,
  last_action_status text,
  last_action_at bigint,
  updated_at timestamptz not null default now(),
  primary key (faction_id, war_id, player_id),
  foreign key (faction_id, war_id) references wars (faction_id, id) on delete cascade
);

create table calls (
  id bigint generated always as identity primary key,
  faction_id integer not null,
  war_id integer not null,
  target_id integer not null,
  caller_id integer not null references players (id),
  state text not null check (state in ('called', 'released', 'expired', 'hit')),
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  ended_at timestamptz,
  foreign key (faction_id, war_id, target_id) references targets (faction_id, war_id, player_id) on delete cascade
);
-- The rule calls exist for: at most one open call per target.
create unique index calls_one_open_per_target on calls (faction_id, war_id, target_id) where state = 'called';
create index calls_open_by_caller on calls (faction_id, caller_id) where state = 'called';
create index calls_open_by_expiry on calls (expires_at) where state = 'called';
