-- Whether the poller has read Torn for the faction yet, and why it cannot when it cannot: members
-- signing in before the first read see "reading Torn" rather than an empty board that says nothing.
alter table factions add column first_read_at timestamptz;
alter table factions add column torn_read_problem text;
