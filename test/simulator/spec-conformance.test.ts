// Every v2 answer of the simulator, success and error, checked against Torn's own OpenAPI document
// (tornapi-typescript ships it). The simulator stands in for Torn: this is what keeps it honest.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { TORN_ERRORS } from '../../src/simulator/index.js';
import { assertValid, errorValidator, responseValidator, spec } from '../helpers/torn-spec.js';
import { keyOf, openSimulator, type SimHandle } from './helpers.js';

/** Every v2 endpoint the simulator serves, with the spec path that documents it. */
const V2_ENDPOINTS: ReadonlyArray<{ spec: string; path: string }> = [
  { spec: '/key/info', path: '/v2/key/info' },
  { spec: '/user/basic', path: '/v2/user/basic' },
  { spec: '/user/{id}/basic', path: '/v2/user/3001/basic' },
  { spec: '/faction/members', path: '/v2/faction/members' },
  { spec: '/faction/{id}/members', path: '/v2/faction/1002/members' },
  { spec: '/faction/wars', path: '/v2/faction/wars' },
  { spec: '/faction/{id}/wars', path: '/v2/faction/1002/wars' },
  { spec: '/faction/rankedwars', path: '/v2/faction/rankedwars' },
  { spec: '/faction/{id}/rankedwars', path: '/v2/faction/1002/rankedwars' },
  { spec: '/faction/chain', path: '/v2/faction/chain' },
  { spec: '/faction/{id}/chain', path: '/v2/faction/1002/chain' },
  { spec: '/torn/timestamp', path: '/v2/torn/timestamp' },
];

const STATES = ['Okay', 'Hospital', 'Traveling', 'Abroad', 'Jail', 'Federal', 'Fallen', 'Awoken', 'Dormant'];

let h: SimHandle;
before(async () => {
  h = await openSimulator({ dynamic: true, seed: 7 });
});
after(() => h.sim.close());

/** Asks every endpoint with a fresh answer (timestamp skips the cache) and validates it. */
async function validateAll(label: string, key = keyOf(2001)): Promise<void> {
  for (const e of V2_ENDPOINTS) {
    const body = await h.torn(`${e.path}?key=${key}&timestamp=${Date.now()}`);
    assert.equal(body.error, undefined, `${label}: ${e.path} answered an error: ${JSON.stringify(body.error)}`);
    assertValid(responseValidator(e.spec), body, `${label}: ${e.path}`);
  }
}

test('every v2 endpoint answers in the shape of its spec schema at the start of the war', async () => {
  await validateAll('start');
});

test('members in every one of Torn states still match the spec', async () => {
  for (const [i, state] of STATES.entries()) {
    await h.control('POST', `/__sim/players/${3001 + i}/status`, { state });
  }
  await h.control('POST', '/__sim/players/3010/status', { state: 'Traveling', destination: 'Japan', description: 'Traveling to Japan' });
  const members = (await h.torn(`/v2/faction/1002/members?key=${keyOf(2001)}&timestamp=1`)).members;
  assert.deepEqual(
    STATES.map((_, i) => members.find((m: { id: number }) => m.id === 3001 + i).status.state),
    STATES,
    'each state is shown as set',
  );
  await validateAll('all states');
});

test('answers stay in shape as the clock runs through an hour of the war', async () => {
  for (let minute = 0; minute < 60; minute += 20) {
    await h.control('POST', '/__sim/clock', { advance: 20 * 60 });
    await validateAll(`after ${minute + 20} minutes`);
  }
});

test('an ended war and a faction with no war still match the spec', async () => {
  await h.control('POST', '/__sim/wars/5001/end', {});
  await validateAll('war ended');
  const wars = await h.torn(`/v2/faction/wars?key=${keyOf(2001)}&timestamp=2`);
  assert.equal(wars.wars.ranked, null);
  const history = await h.torn(`/v2/faction/rankedwars?key=${keyOf(2001)}&timestamp=2`);
  assert.ok(history.rankedwars[0].end > 0 && history.rankedwars[0].winner !== null);
  await h.control('POST', '/__sim/reset');
});

test("a faction's members and wars asked together are each in the shape of their schema, and nothing else is there", async () => {
  const body = await h.torn(`/v2/faction?id=1002&selections=members,wars&key=${keyOf(2001)}&timestamp=${Date.now()}`);
  assert.equal(body.error, undefined);
  assert.deepEqual(Object.keys(body).sort(), ['members', 'pacts', 'wars']);
  assertValid(responseValidator('/faction/{id}/members'), { members: body.members }, 'members part');
  assertValid(responseValidator('/faction/{id}/wars'), { pacts: body.pacts, wars: body.wars }, 'wars part');
  assert.equal(body.wars.ranked.war_id, 5001);
});

test('members abroad, flying, in a hospital abroad, revivable or up for early discharge still match the spec', async () => {
  await h.control('POST', '/__sim/players/3011/status', { state: 'Traveling', destination: 'UAE', returning: true });
  await h.control('POST', '/__sim/players/3012/status', { state: 'Hospital', destination: 'Argentina', earlyDischarge: true });
  await h.control('POST', '/__sim/players/3013/status', { state: 'Hospital', revivable: false });
  await h.control('POST', '/__sim/players/3014/status', { state: 'Abroad', destination: 'South Africa' });
  const members = (await h.torn(`/v2/faction/1002/members?key=${keyOf(2001)}&timestamp=${Date.now()}`)).members;
  const of = (id: number) => members.find((m: { id: number }) => m.id === id);
  assert.deepEqual(
    [3011, 3012, 3014].map((id) => [of(id).status.state, of(id).status.description, of(id).status.until]),
    [
      ['Traveling', 'Traveling from UAE to Torn', null],
      ['Hospital', 'In an Argentinian hospital for 15 mins ', of(3012).status.until],
      ['Abroad', 'In South Africa', null],
    ],
  );
  assert.equal(of(3011).status.plane_image_type, 'airliner');
  assert.deepEqual([of(3012).has_early_discharge, of(3013).is_revivable, of(3013).has_early_discharge], [true, false, false]);
  await validateAll('travel and hospital abroad');
});

test("a running chain, its cooldown, and a faction's members and chain asked together match the spec", async () => {
  const set = await h.control('POST', '/__sim/factions/1001/chain', { current: 24, timeout: 200, cooldown: 600 });
  assert.deepEqual([set.chain.current, set.chain.max, set.chain.timeout], [24, 25, 200]);
  assert.equal(set.chain.cooldown, h.sim.now() + 600, "the spec's cooldown is a timestamp");
  await validateAll('chain running');
  const own = await h.torn(`/v2/faction/chain?key=${keyOf(2001)}&timestamp=${Date.now()}`);
  assert.equal(own.chain.current, 24, "the key owner's faction by default");
  const body = await h.torn(`/v2/faction?id=1001&selections=members,chain&key=${keyOf(2001)}&timestamp=${Date.now()}`);
  assert.deepEqual(Object.keys(body).sort(), ['chain', 'members']);
  assertValid(responseValidator('/faction/{id}/members'), { members: body.members }, 'members part');
  assertValid(responseValidator('/faction/{id}/chain'), { chain: body.chain }, 'chain part');
  assert.ok(
    body.members.some((m: { position: string }) => m.position === 'Leader'),
    'members carry their faction position',
  );
  await h.control('POST', '/__sim/reset');
});

test("chain reports and the ranked war report count each member's own attacks, in the shape of the spec", async () => {
  // A static simulator: only the attacks made here count, so each number is known.
  const s = await openSimulator({ dynamic: false, seed: 7 });
  try {
    const chainReport = responseValidator('/faction/{chainId}/chainreport');
    const latest = responseValidator('/faction/chainreport');
    const warReport = responseValidator('/faction/{rankedWarId}/rankedwarreport');
    const own = `key=${keyOf(2001)}`;
    const noChain = await s.torn(`/v2/faction/chainreport?${own}`);
    assertValid(errorValidator, noChain, 'no chain yet');
    assert.equal(noChain.error.code, 6);

    const attack = (attacker: number, defender: number, result?: string) => s.control('POST', '/__sim/attacks', { attacker, defender, result });
    const hit = await attack(2001, 3001);
    assert.equal(hit.defender.status.state, 'Hospital');
    assert.match(hit.defender.status.details, /^Hospitalized by /);
    await attack(2001, 3002, 'Mugged');
    await attack(2002, 3003, 'Attacked');
    await attack(2003, 3004, 'Lost');
    // 3005 goes into hospital at someone else's hand: no attack of ours.
    await s.control('POST', '/__sim/players/3005/status', { state: 'Hospital' });
    const lost = await s.control('POST', '/__sim/attacks', { attacker: 2001, defender: 2002 }, 409);
    assert.match(lost.error, /same faction/);

    const body = await s.torn(`/v2/faction/chainreport?${own}&timestamp=${Date.now()}`);
    assertValid(latest, body, 'our running chain');
    const r = body.chainreport;
    assert.equal(r.faction_id, 1001);
    assert.equal(r.end, 0, 'still running');
    assert.deepEqual([r.details.chain, r.details.war, r.details.hospitalize, r.details.mug, r.details.leave, r.details.losses], [3, 3, 1, 1, 1, 1]);
    const by = new Map(r.attackers.map((a: any) => [a.id, a.attacks]));
    assert.deepEqual(
      [2001, 2002, 2003].map((id) => [(by.get(id) as any).war, (by.get(id) as any).hospitalize, (by.get(id) as any).total]),
      [
        [2, 1, 2],
        [1, 0, 1],
        [0, 0, 1],
      ],
    );
    assert.ok(r.non_attackers.includes(2004) && !r.non_attackers.includes(2001));

    // The same report by its id, in the path and in the query; the enemy may not read it while it runs.
    assert.deepEqual(await s.torn(`/v2/faction/${r.id}/chainreport?${own}&timestamp=1`), body);
    assert.deepEqual(await s.torn(`/v2/faction?selections=chainreport&id=${r.id}&${own}&timestamp=2`), body);
    const theirs = await s.torn(`/v2/faction/${r.id}/chainreport?key=${keyOf(3010)}`);
    assertValid(errorValidator, theirs, "another faction's running chain");
    assert.equal(theirs.error.code, 7);
    const unknown = await s.torn(`/v2/faction/99999/chainreport?${own}`);
    assert.equal(unknown.error.code, 6);

    // Five minutes without a hit break the chain: its report has an end and anyone may read it.
    await s.control('POST', '/__sim/clock', { advance: 301 });
    const broken = await s.torn(`/v2/faction/${r.id}/chainreport?key=${keyOf(3010)}&timestamp=3`);
    assertValid(chainReport, broken, 'a broken chain');
    assert.equal(broken.chainreport.end, r.start + 300);

    const running = await s.torn(`/v2/faction/5001/rankedwarreport?${own}`);
    assertValid(errorValidator, running, 'a war not over');
    assert.equal(running.error.code, 6);
    await s.control('POST', '/__sim/wars/5001/end', {});
    const ended = await s.torn(`/v2/faction/5001/rankedwarreport?${own}`);
    assertValid(warReport, ended, 'an ended war');
    const ours = ended.rankedwarreport.factions.find((f: any) => f.id === 1001);
    assert.equal(ours.attacks, 3);
    const member = (id: number) => ours.members.find((m: any) => m.id === id);
    assert.deepEqual([member(2001).attacks, member(2002).attacks, member(2003).attacks], [2, 1, 0]);
    assert.ok(member(2001).score > 0 && member(2003).score === 0);
    assert.equal(ended.rankedwarreport.factions.find((f: any) => f.id === 1002).attacks, 0);
  } finally {
    await s.sim.close();
  }
});

test('chain reports drawn from an hour of the seeded war still match the spec', async () => {
  await h.control('POST', '/__sim/clock', { advance: 3600 });
  const body = await h.torn(`/v2/faction/chainreport?key=${keyOf(2001)}&timestamp=${Date.now()}`);
  assertValid(responseValidator('/faction/chainreport'), body, 'seeded chain');
  const r = body.chainreport;
  assert.ok(r.details.chain > 0, 'the war score grows the chain');
  assert.equal(
    r.attackers.reduce((n: number, a: any) => n + a.attacks.war, 0),
    r.details.war,
    "the attackers' war hits add up to the chain's",
  );
  await h.control('POST', '/__sim/reset');
});

test('a war matched before its start is listed in the shape of the spec', async () => {
  await h.control('POST', '/__sim/wars/5001/end', {});
  const start = h.sim.now() + 3600;
  await h.control('POST', '/__sim/wars/5002/start', { start });
  const wars = await h.torn(`/v2/faction/1002/wars?key=${keyOf(2001)}&timestamp=${Date.now()}`);
  assertValid(responseValidator('/faction/{id}/wars'), wars, 'upcoming war');
  assert.equal(wars.wars.ranked.war_id, 5002);
  assert.equal(wars.wars.ranked.start, start);
  assert.equal(wars.wars.ranked.end, 0, 'not over');
  assert.deepEqual(
    wars.wars.ranked.factions.map((f: { score: number; chain: number }) => [f.score, f.chain]),
    [
      [0, 0],
      [0, 0],
    ],
  );
  await h.control('POST', '/__sim/reset');
});

test('the factionless player 2026 gets spec-shaped answers about himself', async () => {
  for (const e of V2_ENDPOINTS.filter((x) => x.spec.startsWith('/key') || x.spec.startsWith('/user'))) {
    const body = await h.torn(`${e.path}?key=${keyOf(2026)}`);
    assertValid(responseValidator(e.spec), body, `2026: ${e.path}`);
  }
  const info = await h.torn(`/v2/key/info?key=${keyOf(2026)}`);
  assert.equal(info.info.user.faction_id, null);
});

test('every error the v2 endpoints give matches the spec error schema', async () => {
  const seen = new Set<number>();
  const check = (body: any, what: string): void => {
    assertValid(errorValidator, body, what);
    seen.add(body.error.code);
  };
  for (const e of V2_ENDPOINTS) {
    check(await h.torn(e.path), `no key: ${e.path}`);
    check(await h.torn(`${e.path}?key=notAKey000000000`), `bad key: ${e.path}`);
  }
  check(await h.torn(`/v2/faction/9999/members?key=${keyOf(2001)}`), 'unknown faction');
  check(await h.torn(`/v2/user/9999/basic?key=${keyOf(2001)}`), 'unknown user');
  check(await h.torn(`/v2/faction/members?key=${keyOf(2026)}`), 'factionless own faction');
  check(await h.torn(`/v2/faction/nothing?key=${keyOf(2001)}`), 'unknown selection');
  check(await h.torn(`/v2/racing/cars?key=${keyOf(2001)}`), 'section the simulator lacks');
  for (let i = 0; i < 101; i++) await h.torn(`/v2/key/info?key=${keyOf(2002)}`);
  check(await h.torn(`/v2/key/info?key=${keyOf(2002)}`), 'rate limited');
  assert.deepEqual(
    [...seen].sort((a, b) => a - b),
    [1, 2, 3, 4, 5, 6],
    'the natural errors were all produced',
  );

  // Forced errors cover every other code; each must be one the spec knows with Torn's text.
  for (const code of Object.keys(TORN_ERRORS).map(Number)) {
    await h.control('POST', `/__sim/keys/${keyOf(2003)}/error`, { code });
    for (const e of V2_ENDPOINTS) check(await h.torn(`${e.path}?key=${keyOf(2003)}`), `forced ${code}: ${e.path}`);
  }
  await h.control('POST', `/__sim/keys/${keyOf(2003)}/error`, { code: null });
});

test("the simulator's error table and the spec's ApiError list the same codes", () => {
  const specCodes = spec.components.schemas.ApiError.oneOf
    .map((r: { $ref: string }) => spec.components.schemas[r.$ref.split('/').pop() as string].properties.code.enum[0])
    .sort((a: number, b: number) => a - b);
  assert.deepEqual(Object.keys(TORN_ERRORS).map(Number), specCodes);
});

test('the spec checker itself rejects a wrong answer, so the checks above are not vacuous', async () => {
  const body = await h.torn(`/v2/faction/1002/members?key=${keyOf(2001)}&timestamp=3`);
  const validate = responseValidator('/faction/{id}/members');
  assert.equal(validate(body), true);
  const misspelt = structuredClone(body);
  misspelt.members[0].last_actoin = misspelt.members[0].last_action;
  delete misspelt.members[0].last_action;
  assert.equal(validate(misspelt), false, 'a misspelt field is refused');
  const badState = structuredClone(body);
  badState.members[0].status.until = 'soon';
  assert.equal(validate(badState), false, 'a string until is refused');
  assert.equal(errorValidator({ error: { code: 99, error: 'nope' } }), false, 'an unknown error code is refused');
});

test('a key issued at each access level, custom ones included, gets a spec-shaped key/info', async () => {
  const key = keyOf(2004);
  const validate = responseValidator('/key/info');
  for (const access of [
    { level: 1, type: 'Public Only' },
    { level: 2, type: 'Minimal Access' },
    { level: 4, type: 'Full Access' },
    { level: 0, type: 'Custom', selections: { user: ['profile'], faction: ['members', 'wars'] } },
  ]) {
    await h.control('POST', `/__sim/keys/${key}/access`, access);
    const body = await h.torn(`/v2/key/info?key=${key}&timestamp=${Date.now()}`);
    assertValid(validate, body, `${access.type} key/info`);
    assert.deepEqual([body.info.access.level, body.info.access.type], [access.level, access.type]);
  }
  const custom = await h.torn(`/v2/key/info?key=${key}&timestamp=${Date.now()}`);
  assert.deepEqual(custom.info.selections.faction, ['members', 'wars']);
  const refused = await h.torn(`/v2/faction/1002/rankedwars?key=${key}`);
  assertValid(errorValidator, refused, 'a custom key reading beyond its selections');
  assert.equal(refused.error.code, 16);
  await h.control('POST', `/__sim/keys/${key}/access`, null);
});
