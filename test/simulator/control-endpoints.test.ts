// The /__sim/ endpoints that script the war for tests, benchmarks and outside checks.
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { keyOf, openSimulator, type SimHandle } from './helpers.js';

let h: SimHandle;
before(async () => {
  h = await openSimulator({ dynamic: true });
});
after(() => h.sim.close());
beforeEach(() => h.control('POST', '/__sim/reset'));

const memberOf = async (id: number): Promise<any> => {
  const body = await h.torn(`/v2/faction/${Math.floor(id / 1000) === 3 ? 1002 : 1001}/members?key=${keyOf(2001)}&timestamp=1`);
  return body.members.find((m: { id: number }) => m.id === id);
};

test('a status set through the control endpoint shows in the API at once with the given until and description', async () => {
  const until = h.sim.now() + 3600;
  const res = await h.control('POST', '/__sim/players/3005/status', { state: 'Hospital', until, description: 'In hospital for 1 hr' });
  assert.equal(res.player.status.state, 'Hospital');
  const m = await memberOf(3005);
  assert.deepEqual(
    { state: m.status.state, until: m.status.until, description: m.status.description, color: m.status.color },
    { state: 'Hospital', until, description: 'In hospital for 1 hr', color: 'red' },
  );
});

test('a pinned player keeps his status while others evolve, until reset', async () => {
  const until = h.sim.now() + 7200;
  await h.control('POST', '/__sim/players/3006/status', { state: 'Hospital', until });
  const before = await h.control('GET', '/__sim/state');
  await h.control('POST', '/__sim/clock', { advance: 3600 });
  const later = await h.control('GET', '/__sim/state');
  const pinned = later.players.find((p: { id: number }) => p.id === 3006);
  assert.equal(pinned.pinned, true);
  assert.equal(pinned.status.state, 'Hospital');
  assert.equal(pinned.status.until, until);
  const changed = later.players.filter((p: any, i: number) => p.status.state !== before.players[i].status.state);
  assert.ok(changed.length >= 5, `others moved on (${changed.length} changed)`);
  await h.control('POST', '/__sim/reset');
  const after = await h.control('GET', '/__sim/state');
  assert.equal(after.players.find((p: { id: number }) => p.id === 3006).pinned, false);
});

test('a pinned hospital stay whose until has passed reads as Okay, as on Torn', async () => {
  await h.control('POST', '/__sim/players/3007/status', { state: 'Hospital', until: h.sim.now() + 60 });
  await h.control('POST', '/__sim/clock', { advance: 61 });
  const m = await memberOf(3007);
  assert.deepEqual(m.status, { description: 'Okay', details: null, state: 'Okay', color: 'green', until: null });
});

test('states without until or description get Torn-like defaults', async () => {
  const now = h.sim.now();
  await h.control('POST', '/__sim/players/3008/status', { state: 'Hospital' });
  const hosp = await memberOf(3008);
  assert.ok(hosp.status.until >= now + 899 && hosp.status.until <= now + 902, `until ${hosp.status.until - now}s ahead`);
  assert.match(hosp.status.description, /^In hospital for 1[45] mins $/);
  const cases: Array<[Record<string, unknown>, string, number | null]> = [
    [{ state: 'Traveling' }, 'Traveling from Torn to Mexico', null],
    [{ state: 'Traveling', destination: 'Japan' }, 'Traveling from Torn to Japan', null],
    [{ state: 'Abroad', destination: 'Canada' }, 'In Canada', null],
    [{ state: 'Jail', until: now + 720 }, 'In jail for 12 mins ', now + 720],
    [{ state: 'Okay' }, 'Okay', null],
    [{ state: 'Federal' }, 'In federal jail permanently', null],
  ];
  for (const [body, description, until] of cases) {
    await h.control('POST', '/__sim/players/3009/status', body);
    const m = await memberOf(3009);
    assert.equal(m.status.description, description, JSON.stringify(body));
    assert.equal(m.status.until, until, JSON.stringify(body));
  }
});

test('bad status input is a 400 naming the problem, an unknown player a 404', async () => {
  const bad = await h.control('POST', '/__sim/players/3001/status', { state: 'Sleeping' }, 400);
  assert.match(bad.error, /state must be one of Okay, Hospital/);
  assert.match((await h.control('POST', '/__sim/players/3001/status', { state: 'Hospital', until: 'soon' }, 400)).error, /until/);
  assert.match((await h.control('POST', '/__sim/players/3001/status', { state: 'Okay', mood: 'happy' }, 400)).error, /mood/);
  assert.match((await h.control('POST', '/__sim/players/3001/status', '{not json', 400)).error, /JSON/);
  assert.match((await h.control('POST', '/__sim/players/9999/status', { state: 'Okay' }, 404)).error, /unknown player 9999/);
  assert.match((await h.control('POST', '/__sim/players/abc/status', { state: 'Okay' }, 400)).error, /player id/);
});

test('advancing the clock moves sim time and answers the new now', async () => {
  const before = h.sim.now();
  const res = await h.control('POST', '/__sim/clock', { advance: 3600 });
  assert.ok(res.now >= before + 3600 && res.now <= before + 3602);
  assert.ok(h.sim.now() >= res.now);
  assert.match((await h.control('POST', '/__sim/clock', { advance: -5 }, 400)).error, /advance/);
  assert.match((await h.control('POST', '/__sim/clock', {}, 400)).error, /advance/);
});

test('ending the war sets its end and winner and takes it off the active list', async () => {
  const key = keyOf(2001);
  const live = await h.torn(`/v2/faction/wars?key=${key}&timestamp=1`);
  assert.equal(live.wars.ranked.war_id, 5001);
  const [a, b] = live.wars.ranked.factions;
  const leader = b.score > a.score ? b.id : a.id;
  const res = await h.control('POST', '/__sim/wars/5001/end');
  assert.equal(res.war.winner, leader);
  assert.ok(res.war.end >= h.sim.now() - 1);

  assert.equal((await h.torn(`/v2/faction/wars?key=${key}&timestamp=2`)).wars.ranked, null);
  assert.deepEqual((await h.torn(`/faction/?selections=basic&key=${key}&timestamp=2`)).ranked_wars, {});
  const history = (await h.torn(`/v2/faction/rankedwars?key=${key}&timestamp=2`)).rankedwars;
  assert.deepEqual({ id: history[0].id, end: history[0].end, winner: history[0].winner }, { id: 5001, end: res.war.end, winner: leader });
  const v1 = (await h.torn(`/faction/?selections=rankedwars&key=${key}&timestamp=2`)).rankedwars['5001'];
  assert.deepEqual(v1.war, { start: history[0].start, end: res.war.end, target: history[0].target, winner: leader });

  assert.match((await h.control('POST', '/__sim/wars/5001/end', {}, 409)).error, /already ended/);
  assert.match((await h.control('POST', '/__sim/wars/7777/end', {}, 404)).error, /unknown war/);
});

test('a war can end with a chosen winner, and scores stop when it ends', async () => {
  const res = await h.control('POST', '/__sim/wars/5001/end', { winner: 1002 });
  assert.equal(res.war.winner, 1002);
  await h.control('POST', '/__sim/clock', { advance: 1800 });
  const later = await h.control('GET', '/__sim/state');
  assert.deepEqual(later.wars[0].factions, res.war.factions);
  assert.match((await h.control('POST', '/__sim/wars/5001/start', { factions: [1001, 1001] }, 400)).error, /two different/);
});

test('starting a war puts it on the active list from zero, and a busy faction cannot start another', async () => {
  const key = keyOf(3001);
  assert.match((await h.control('POST', '/__sim/wars/5002/start', {}, 409)).error, /already in ranked war 5001/);
  await h.control('POST', '/__sim/wars/5001/end');
  const before = h.sim.now();
  const started = await h.control('POST', '/__sim/wars/5002/start');
  assert.ok(started.war.start >= before && started.war.start <= h.sim.now(), 'starts now');
  const wars = (await h.torn(`/v2/faction/wars?key=${key}&timestamp=1`)).wars;
  assert.equal(wars.ranked.war_id, 5002);
  assert.deepEqual(
    wars.ranked.factions.map((f: any) => [f.id, f.score]),
    [
      [1001, 0],
      [1002, 0],
    ],
  );
  const history = (await h.torn(`/v2/faction/rankedwars?key=${key}&timestamp=1`)).rankedwars;
  assert.deepEqual(
    history.map((w: any) => w.id),
    [5002, 5001],
  );
  assert.ok(Object.keys((await h.torn(`/faction/?selections=basic&key=${key}&timestamp=1`)).ranked_wars).includes('5002'));
});

test('a forced error hits every request of that key until cleared with null', async () => {
  const key = keyOf(2011);
  assert.deepEqual(await h.control('POST', `/__sim/keys/${key}/error`, { code: 13 }), { key, code: 13 });
  const expected = { error: { code: 13, error: 'The key is temporarily disabled due to owner inactivity' } };
  assert.deepEqual(await h.torn(`/v2/user/basic?key=${key}`), expected);
  assert.deepEqual(await h.torn(`/user/?selections=profile&key=${key}`), expected);
  assert.equal((await h.torn(`/v2/user/basic?key=${keyOf(2012)}`)).profile.id, 2012, 'other keys are untouched');
  await h.control('POST', `/__sim/keys/${key}/error`, { code: null });
  assert.equal((await h.torn(`/v2/user/basic?key=${key}`)).profile.id, 2011);
  assert.match((await h.control('POST', `/__sim/keys/${key}/error`, { code: 99 }, 400)).error, /code/);
  assert.match((await h.control('POST', `/__sim/keys/${key}/error`, {}, 400)).error, /code/);
});

test('stats count Torn API requests by key and by canonical endpoint, not control requests', async () => {
  const key = keyOf(2001);
  await h.torn(`/v2/faction/1002/members?key=${key}`);
  await h.torn(`/v2/faction?selections=members&id=1002&key=${key}`);
  await h.torn(`/v2/faction/members?key=${keyOf(2002)}`);
  await h.torn(`/user/?selections=profile&key=${key}`);
  await h.torn(`/faction/1002?selections=basic&key=${key}`);
  await h.torn('/v2/key/info');
  await h.control('GET', '/__sim/state');
  const stats = await h.control('GET', '/__sim/stats');
  assert.deepEqual(stats, {
    total: 6,
    byKey: { [key]: 4, [keyOf(2002)]: 1, '': 1 },
    byEndpoint: {
      '/v2/faction/1002/members': 2,
      '/v2/faction/members': 1,
      '/user?selections=profile': 1,
      '/faction/1002?selections=basic': 1,
      '/v2/key/info': 1,
    },
    byAddress: { '127.0.0.1': 6 },
  });
  const logged = (await h.control('GET', '/__sim/requests')) as { at: number; address: string; key: string; endpoint: string }[];
  assert.deepEqual(
    logged.map((r) => [r.address, r.key, r.endpoint]),
    [
      ['127.0.0.1', key, '/v2/faction/1002/members'],
      ['127.0.0.1', key, '/v2/faction/1002/members'],
      ['127.0.0.1', keyOf(2002), '/v2/faction/members'],
      ['127.0.0.1', key, '/user?selections=profile'],
      ['127.0.0.1', key, '/faction/1002?selections=basic'],
      ['127.0.0.1', '', '/v2/key/info'],
    ],
  );
  assert.deepEqual(await h.control('GET', `/__sim/requests?since=${logged[5].at + 1}`), []);
});

test('reset restores the scenario and zeroes stats, cache, rate limits and forced errors', async () => {
  const key = keyOf(2001);
  const fresh = await h.control('GET', '/__sim/state');
  await h.control('POST', '/__sim/players/2001/status', { state: 'Fallen' });
  await h.control('POST', '/__sim/wars/5001/end');
  await h.control('POST', `/__sim/keys/${keyOf(2002)}/error`, { code: 9 });
  for (let i = 0; i < 101; i++) await h.torn(`/v2/user/basic?key=${key}`);
  assert.equal((await h.torn(`/v2/user/basic?key=${key}`)).error.code, 5);

  await h.control('POST', '/__sim/reset');
  assert.deepEqual(await h.control('GET', '/__sim/stats'), { total: 0, byKey: {}, byEndpoint: {}, byAddress: {} });
  assert.equal((await h.torn(`/v2/user/basic?key=${key}`)).profile.id, 2001);
  assert.equal((await h.torn(`/v2/user/basic?key=${keyOf(2002)}`)).profile.id, 2002);
  const state = await h.control('GET', '/__sim/state');
  assert.deepEqual(
    state.players.map((p: any) => [p.id, p.name, p.level]),
    fresh.players.map((p: any) => [p.id, p.name, p.level]),
  );
  assert.notEqual(state.players.find((p: any) => p.id === 2001).status.state, 'Fallen');
  assert.equal(state.wars[0].end, null);
  assert.equal((await h.torn(`/v2/faction/wars?key=${key}`)).wars.ranked.war_id, 5001);
});

test('the state dump lists the 51 players with their keys, the two factions and the war', async () => {
  const state = await h.control('GET', '/__sim/state');
  assert.equal(state.players.length, 51);
  assert.deepEqual(state.players.find((p: any) => p.id === 2026).factionId, null);
  assert.equal(state.players.find((p: any) => p.id === 2001).key, 'demo000000002001');
  assert.deepEqual(
    state.factions.map((f: any) => [f.id, f.name]),
    [
      [1001, 'TornCat Demo'],
      [1002, 'Demo Rivals'],
    ],
  );
  assert.deepEqual(
    state.wars.map((w: any) => w.id),
    [5001],
  );
  assert.ok(state.wars[0].start < state.now, 'the war started before the clock did');
});

test('an unknown control path is a JSON 404', async () => {
  assert.match((await h.control('GET', '/__sim/nothing', undefined, 404)).error, /no control endpoint/);
});
