-- The score of both sides over a war, one row per change Torn showed (on Torn's clock): the board's
-- chart, each side's pace and the war report read it. Rows go with their war.
create table war_scores (
  faction_id integer not null,
  war_id integer not null,
  -- When TornCat read the score (Torn's clock, Unix seconds).
  at bigint not null,
  ours integer not null,
  theirs integer not null,
  primary key (faction_id, war_id, at),
  foreign key (faction_id, war_id) references wars (faction_id, id) on delete cascade
);
