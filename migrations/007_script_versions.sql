-- Userscript managers update a script only when its @version compares higher. A hash cannot
-- promise that, so each distinct served script (bundle + settings) gets the next number here,
-- once, whichever node serves it first; every node then serves the same version for it.
create table script_versions (
  serial bigint generated always as identity primary key,
  digest text not null unique,
  first_served_at timestamptz not null default now()
);
