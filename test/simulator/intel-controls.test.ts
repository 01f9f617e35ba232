// What the war intelligence reads from Torn, as the simulator models it: travel and hospitals abroad
// in Torn's words, stays that end before their `until`, revive and early-discharge flags, faction
// positions, and the faction's chain, each driven through a /__sim/ control endpoint.
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { keyOf, openSimulator, type SimHandle } from './helpers.js';

let h: SimHandle;
before(async () => {
  h = await openSimulator({ dynamic: false, realNow: () => 1_800_000_000_000 });
});
after(() => h.sim.close());
beforeEach(() => h.control('POST', '/__sim/reset'));

const memberOf = async (id: number): Promise<any> => {
  const body = await h.torn(`/v2/faction/${Math.floor(id / 1000) === 3 ? 1002 : 1001}/members?key=${keyOf(2001)}&timestamp=${Date.now()}`);
  return body.members.find((m: { id: number }) => m.id === id);
};
const chainOf = async (factionId: number): Promise<any> =>
  (await h.torn(`/v2/faction/${factionId}/chain?key=${keyOf(2001)}&timestamp=${Date.now()}`)).chain;

test('flights read as Torn words them, out and back, with no until; landed, the player is abroad', async () => {
  const cases: Array<[Record<string, unknown>, string, string]> = [
    [{ state: 'Traveling', destination: 'Cayman Islands' }, 'Traveling', 'Traveling from Torn to Cayman Islands'],
    [{ state: 'Traveling', destination: 'Cayman Islands', returning: true }, 'Traveling', 'Traveling from Cayman Islands to Torn'],
    [{ state: 'Abroad', destination: 'Cayman Islands' }, 'Abroad', 'In Cayman Islands'],
  ];
  for (const [body, state, description] of cases) {
    await h.control('POST', '/__sim/players/3001/status', { ...body, until: h.sim.now() + 600 });
    const m = await memberOf(3001);
    assert.deepEqual([m.status.state, m.status.description, m.status.until], [state, description, null], JSON.stringify(body));
  }
  const v1 = await h.torn(`/faction/1002?selections=basic&key=${keyOf(2001)}&timestamp=1`);
  assert.equal(v1.members['3001'].status.until, 0, 'v1 writes no end as 0');
});

test('a hospital abroad is worded with the country adjective and "an" before a vowel, and ends abroad', async () => {
  const until = h.sim.now() + 120;
  await h.control('POST', '/__sim/players/3002/status', { state: 'Hospital', until, destination: 'UAE' });
  await h.control('POST', '/__sim/players/3003/status', { state: 'Hospital', until, destination: 'Switzerland' });
  assert.equal((await memberOf(3002)).status.description, 'In an Emirati hospital for 2 mins ');
  assert.equal((await memberOf(3003)).status.description, 'In a Swiss hospital for 2 mins ');
  await h.control('POST', '/__sim/clock', { advance: 121 });
  const out = await memberOf(3003);
  assert.deepEqual([out.status.state, out.status.description, out.status.until], ['Abroad', 'In Switzerland', null]);
});

test('a discharge ends a stay before its until and shows the player online; out of a hospital abroad he is abroad', async () => {
  await h.control('POST', '/__sim/players/3004/status', { state: 'Hospital', until: h.sim.now() + 3600 });
  await h.control('POST', '/__sim/players/3005/status', { state: 'Hospital', until: h.sim.now() + 3600, destination: 'Japan' });
  await h.control('POST', '/__sim/players/3004/discharge', {});
  await h.control('POST', '/__sim/players/3005/discharge');
  const home = await memberOf(3004);
  assert.deepEqual([home.status.state, home.last_action.timestamp], ['Okay', h.sim.now()]);
  assert.equal((await memberOf(3005)).status.description, 'In Japan');
  const refused = await h.control('POST', '/__sim/players/3004/discharge', {}, 409);
  assert.match(refused.error, /not in hospital/);
});

test('revivable and early discharge follow the stay and clear when it ends', async () => {
  await h.control('POST', '/__sim/players/3006/status', { state: 'Hospital', until: h.sim.now() + 60, earlyDischarge: true });
  await h.control('POST', '/__sim/players/3007/status', { state: 'Hospital', until: h.sim.now() + 60, revivable: false });
  const [a, b] = [await memberOf(3006), await memberOf(3007)];
  assert.deepEqual([a.has_early_discharge, b.is_revivable, b.has_early_discharge], [true, false, false]);
  await h.control('POST', '/__sim/clock', { advance: 61 });
  const later = await memberOf(3006);
  assert.deepEqual([later.status.state, later.is_revivable, later.has_early_discharge], ['Okay', false, false]);
});

test('a position set through the control endpoint is what the members list says', async () => {
  assert.equal((await memberOf(2001)).position, 'Leader');
  await h.control('POST', '/__sim/players/2003/position', { position: 'Co-leader' });
  assert.equal((await memberOf(2003)).position, 'Co-leader');
  await h.control('POST', '/__sim/players/2026/position', { position: 'Leader' }, 409);
});

test('a chain counts hits, shows the next milestone as max, resets its timer on a hit and breaks when it runs out', async () => {
  assert.deepEqual(await chainOf(1001), { id: 0, current: 0, max: 10, timeout: 0, modifier: 1, cooldown: 0, start: 0, end: 0 });
  const t0 = h.sim.now();
  await h.control('POST', '/__sim/factions/1001/chain', { hits: 9 });
  await h.control('POST', '/__sim/clock', { advance: 100 });
  let c = await chainOf(1001);
  assert.deepEqual([c.current, c.max, c.timeout, c.start], [9, 10, 200, t0]);
  await h.control('POST', '/__sim/factions/1001/chain', { hits: 1 });
  c = await chainOf(1001);
  assert.deepEqual([c.current, c.max, c.timeout, c.modifier], [10, 25, 300, 1.1]);
  const wars = await h.torn(`/v2/faction/1002/wars?key=${keyOf(2001)}&timestamp=2`);
  assert.equal(wars.wars.ranked.factions.find((f: { id: number }) => f.id === 1001).chain, 10, "the war shows the faction's chain");
  await h.control('POST', '/__sim/clock', { advance: 300 });
  c = await chainOf(1001);
  assert.deepEqual([c.current, c.timeout, c.start], [0, 0, 0], 'five minutes without a hit break it');
});

test('bad chain controls are refused with a message naming the field', async () => {
  const bad = await h.control('POST', '/__sim/factions/1001/chain', { timeout: 301 }, 400);
  assert.match(bad.error, /^timeout:/);
  assert.match((await h.control('POST', '/__sim/factions/1001/chain', { timeout: 10 }, 409)).error, /running chain/);
  assert.match((await h.control('POST', '/__sim/factions/9999/chain', { hits: 1 }, 404)).error, /unknown faction/);
  assert.match((await h.control('POST', '/__sim/factions/1001/chain', { hits: 1, extra: 1 }, 400)).error, /extra/);
  assert.match(
    (await h.control('POST', '/__sim/players/3001/status', { state: 'Abroad', destination: 'Atlantis' }, 400)).error,
    /destination/,
  );
});
