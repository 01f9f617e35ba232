import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rankedWarReport, type TornRankedWar } from '../../src/war/wars.js';

const NOW = 1_800_000_000;
const ranked = (end: number | null): TornRankedWar => ({
  war_id: 5001,
  start: NOW - 3600,
  end,
  target: 3000,
  winner: null,
  factions: [
    { id: 1001, name: 'Ours', score: 10 },
    { id: 1002, name: 'Theirs', score: 20 },
  ],
});

test('a war Torn shows with an end of 0, null or later than now has not ended', () => {
  assert.equal(rankedWarReport(ranked(0), NOW).end, null);
  assert.equal(rankedWarReport(ranked(null), NOW).end, null);
  assert.equal(rankedWarReport(ranked(NOW + 60), NOW).end, null, 'an end still to come');
});

test('an end at or before now (on Torn’s clock) ends the war', () => {
  assert.equal(rankedWarReport(ranked(NOW), NOW).end, NOW);
  assert.equal(rankedWarReport(ranked(NOW - 5), NOW).end, NOW - 5);
});

test('the report keeps the scores by faction and an absent target or winner as null', () => {
  const r = rankedWarReport({ ...ranked(0), target: undefined, winner: undefined }, NOW);
  assert.deepEqual(r, {
    id: 5001,
    start: NOW - 3600,
    end: null,
    target: null,
    winner: null,
    factions: [
      { id: 1001, name: 'Ours', score: 10 },
      { id: 1002, name: 'Theirs', score: 20 },
    ],
  });
});
