// API v1 shapes, which older tools and our v1 fallback read: members keyed by id, 0 and "" for none.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { keyOf, openSimulator, type SimHandle } from './helpers.js';

let h: SimHandle;
before(async () => {
  h = await openSimulator({ dynamic: false });
  await h.control('POST', '/__sim/players/3001/status', { state: 'Okay' });
  await h.control('POST', '/__sim/players/3002/status', {
    state: 'Hospital',
    until: h.sim.now() + 1800,
    details: 'Hospitalized by MadRook',
  });
  await h.control('POST', '/__sim/players/3003/status', { state: 'Traveling', destination: 'Mexico' });
});
after(() => h.sim.close());

test('v1 faction basic lists members as an object keyed by player id', async () => {
  const body = await h.torn(`/faction/1002?selections=basic&key=${keyOf(2001)}`);
  assert.equal(body.ID, 1002);
  assert.equal(body.name, 'Demo Rivals');
  assert.ok(!Array.isArray(body.members));
  assert.deepEqual(
    Object.keys(body.members),
    Array.from({ length: 25 }, (_, i) => String(3001 + i)),
  );
  const m = body.members['3001'];
  assert.deepEqual(Object.keys(m).sort(), ['days_in_faction', 'last_action', 'level', 'name', 'position', 'status']);
  assert.deepEqual(Object.keys(m.last_action).sort(), ['relative', 'status', 'timestamp']);
});

test('v1 writes none as until 0 and details empty, where v2 writes null', async () => {
  const v1 = (await h.torn(`/faction/1002?selections=basic&key=${keyOf(2001)}`)).members;
  const v2 = (await h.torn(`/v2/faction/1002/members?key=${keyOf(2001)}`)).members;
  assert.deepEqual(v1['3001'].status, { description: 'Okay', details: '', state: 'Okay', color: 'green', until: 0 });
  assert.deepEqual(v2[0].status, { description: 'Okay', details: null, state: 'Okay', color: 'green', until: null });
  assert.equal(v1['3003'].status.until, 0);
  assert.equal(v1['3003'].status.description, 'Traveling from Torn to Mexico');
  assert.equal(v2[2].status.plane_image_type, 'airliner');
  assert.equal(v1['3002'].status.until, v2[1].status.until);
  assert.equal(v1['3002'].status.details, 'Hospitalized by MadRook');
  assert.match(v1['3002'].status.description, /^In hospital for 30 mins $/);
});

test('v1 faction basic without an id is the key owner faction, with the running war in ranked_wars', async () => {
  const body = await h.torn(`/faction/?selections=basic&key=${keyOf(2001)}`);
  assert.equal(body.ID, 1001);
  assert.equal(body.name, 'TornCat Demo');
  const war = body.ranked_wars['5001'];
  assert.deepEqual(Object.keys(war.factions), ['1001', '1002']);
  assert.equal(war.war.end, 0);
  assert.equal(war.war.winner, 0);
  assert.equal(war.factions['1002'].name, 'Demo Rivals');
});

test('v1 rankedwars is an object keyed by war id with factions keyed by faction id', async () => {
  const body = await h.torn(`/faction/?selections=rankedwars&key=${keyOf(3004)}`);
  assert.deepEqual(Object.keys(body), ['rankedwars']);
  const war = body.rankedwars['5001'];
  assert.deepEqual(Object.keys(war).sort(), ['factions', 'war']);
  assert.deepEqual(Object.keys(war.war).sort(), ['end', 'start', 'target', 'winner']);
  for (const f of Object.values(war.factions) as Array<{ score: number; chain: number }>) {
    assert.ok(Number.isInteger(f.score) && f.score > 0, 'the war has been running for hours');
  }
});

test('v1 user profile carries player id, faction and status, for oneself or by id', async () => {
  const me = await h.torn(`/user/?selections=profile&key=${keyOf(2001)}`);
  assert.equal(me.player_id, 2001);
  assert.deepEqual(
    { id: me.faction.faction_id, name: me.faction.faction_name, position: me.faction.position },
    { id: 1001, name: 'TornCat Demo', position: 'Leader' },
  );
  const other = await h.torn(`/user/3002?selections=profile&key=${keyOf(2001)}`);
  assert.equal(other.player_id, 3002);
  assert.equal(other.status.state, 'Hospital');
  assert.equal(other.states.hospital_timestamp, other.status.until);
  assert.equal(other.faction.faction_id, 1002);
  const basic = await h.torn(`/user/3002?key=${keyOf(2001)}`);
  assert.deepEqual(Object.keys(basic).sort(), ['gender', 'level', 'name', 'player_id', 'status']);
});

test('v1 merges several selections into one answer', async () => {
  const body = await h.torn(`/faction/?selections=basic,rankedwars&key=${keyOf(2001)}`);
  assert.equal(body.ID, 1001);
  assert.ok(body.rankedwars['5001']);
});
