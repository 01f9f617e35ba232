-- Housekeeping deletes ended calls and disabled keys past RETENTION_DAYS every few minutes: these
-- indexes keep that sweep from reading the whole tables.
create index calls_ended_by_age on calls (ended_at) where state <> 'called';
create index api_keys_disabled_by_age on api_keys (updated_at) where state = 'disabled';
