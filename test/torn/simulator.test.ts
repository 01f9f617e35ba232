// The client against the simulator, our stand-in for Torn: real shapes, real error bodies, the cache.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startSimulator } from '../../src/simulator/index.js';
import { createTornClient, toMembers, TornApiError, type TornClient, type TornErrorKind } from '../../src/torn/index.js';

const keyOf = (playerId: number) => 'demo' + String(playerId).padStart(12, '0');
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const STATES = ['Okay', 'Hospital', 'Traveling', 'Abroad', 'Jail', 'Federal', 'Fallen', 'Awoken', 'Dormant'];

let sim: Awaited<ReturnType<typeof startSimulator>>;
let torn: TornClient;

before(async () => {
  sim = await startSimulator({ port: 0, dynamic: false });
  torn = createTornClient({ baseUrl: sim.url, timeoutMs: 5000 });
});
after(async () => {
  await sim.close();
});

async function control(path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(sim.url + path, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  assert.equal(res.status, 200, `${path} answered ${res.status}`);
  return res.json();
}

test('keyInfo says whose key it is and their faction', async () => {
  const { info } = await torn.keyInfo(keyOf(2001));
  assert.equal(info.user.id, 2001);
  assert.equal(info.user.faction_id, 1001);
  assert.equal(typeof info.access.type, 'string');
});

test('userBasic gives the key owner id, name and level', async () => {
  const { profile } = await torn.userBasic(keyOf(2005));
  assert.equal(profile.id, 2005);
  assert.ok(profile.name.length > 0);
  assert.ok(profile.level >= 1);
  assert.ok(STATES.includes(profile.status.state));
});

test('userProfileV1 gives the faction id and name', async () => {
  const p = await torn.userProfileV1(keyOf(2001));
  assert.equal(p.player_id, 2001);
  assert.equal(p.faction.faction_id, 1001);
  assert.equal(p.faction.faction_name, 'TornCat Demo');
});

test('factionMembers without an id lists the key owner faction, with one for any faction', async () => {
  const own = toMembers(await torn.factionMembers(keyOf(2001)));
  assert.deepEqual(
    own.map((m) => m.id),
    range(2001, 2025),
  );
  const enemy = toMembers(await torn.factionMembers(keyOf(2001), 1002));
  assert.deepEqual(
    enemy.map((m) => m.id),
    range(3001, 3025),
  );
  for (const m of enemy) {
    assert.ok(STATES.includes(m.status.state), `state ${m.status.state}`);
    assert.ok(m.status.until === null || m.status.until > 0);
    assert.ok(m.lastAction.timestamp > 0);
  }
});

test('v1 faction basic and v2 faction members normalize to the same members', async () => {
  const v2 = toMembers(await torn.factionMembers(keyOf(2002), 1002));
  const v1 = toMembers(await torn.factionBasicV1(keyOf(2002), 1002));
  const essentials = (ms: typeof v2) =>
    ms.map((m) => ({ id: m.id, name: m.name, level: m.level, state: m.status.state, until: m.status.until }));
  assert.deepEqual(essentials(v1), essentials(v2));
  const basic = await torn.factionBasicV1(keyOf(2002));
  assert.equal(basic.ID, 1001);
  assert.equal(basic.name, 'TornCat Demo');
});

test('factionWars shows ranked war 5001 between the two demo factions', async () => {
  const { wars } = await torn.factionWars(keyOf(2001));
  assert.equal(wars.ranked?.war_id, 5001);
  const names = Object.fromEntries((wars.ranked?.factions ?? []).map((f) => [f.id, f.name]));
  assert.deepEqual(names, { 1001: 'TornCat Demo', 1002: 'Demo Rivals' });
});

test('factionRankedWars lists war 5001 on v2 and v1 alike', async () => {
  const v2 = await torn.factionRankedWars(keyOf(2001));
  assert.ok(v2.rankedwars.some((w) => w.id === 5001));
  const v1 = await torn.factionRankedWarsV1(keyOf(2001));
  assert.deepEqual(Object.keys(v1.rankedwars['5001']?.factions ?? {}).sort(), ['1001', '1002']);
});

test('identify gives player and faction for a member and a null faction for a factionless player', async () => {
  const me = await torn.identify(keyOf(2001));
  assert.equal(me.player.id, 2001);
  assert.deepEqual(me.faction, { id: 1001, name: 'TornCat Demo', position: 'Leader' });
  const loner = await torn.identify(keyOf(2026));
  assert.equal(loner.player.id, 2026);
  assert.equal(loner.faction, null);
});

test('a key the simulator does not know is a bad key', async () => {
  await assert.rejects(torn.keyInfo('notAKey000000000'), { name: 'TornApiError', kind: 'bad_key', code: 2 });
});

for (const [code, kind] of [
  [2, 'bad_key'],
  [5, 'key_rate_limited'],
  [9, 'global_backoff'],
] as const satisfies readonly (readonly [number, TornErrorKind])[]) {
  test(`a forced Torn error ${code} arrives as a TornApiError of kind ${kind}, and clearing it restores the key`, async () => {
    const key = keyOf(2010);
    await control(`/__sim/keys/${key}/error`, { code });
    try {
      await assert.rejects(torn.factionMembers(key, 1002, { fresh: true }), (e) => {
        assert.ok(e instanceof TornApiError);
        assert.equal(e.code, code);
        assert.equal(e.kind, kind);
        assert.equal(e.endpoint, 'v2/faction/{id}/members');
        assert.ok(!e.message.includes(key), 'no key in the message');
        return true;
      });
      await assert.rejects(torn.userProfileV1(key, { fresh: true }), { code, kind });
    } finally {
      await control(`/__sim/keys/${key}/error`, { code: null });
    }
    assert.equal((await torn.keyInfo(key, { fresh: true })).info.user.id, 2010);
  });
}

test('the simulator counts our requests under the key we sent', async () => {
  const key = keyOf(2020);
  const before = (await control('/__sim/stats')) as { byKey: Record<string, number> };
  await torn.userBasic(key, { fresh: true });
  await torn.factionWars(key, undefined, { fresh: true });
  const after = (await control('/__sim/stats')) as { byKey: Record<string, number> };
  assert.equal((after.byKey[key] ?? 0) - (before.byKey[key] ?? 0), 2);
});

test('fresh bypasses the cache so a status change shows at once', async () => {
  const key = keyOf(2003);
  const target = 3007;
  const first = toMembers(await torn.factionMembers(key, 1002)).find((m) => m.id === target);
  assert.ok(first);
  const until = sim.now() + 3600;
  const state = first.status.state === 'Jail' ? 'Hospital' : 'Jail';
  await control(`/__sim/players/${target}/status`, { state, until });
  const cached = toMembers(await torn.factionMembers(key, 1002)).find((m) => m.id === target);
  assert.equal(cached?.status.state, first.status.state, 'within the cache window the old answer comes back');
  const fresh = toMembers(await torn.factionMembers(key, 1002, { fresh: true })).find((m) => m.id === target);
  assert.equal(fresh?.status.state, state);
  assert.equal(fresh?.status.until, until);
});

test("a faction's chain, alone or with its members, and members' positions and revive flags as Member fields", async () => {
  await control('/__sim/factions/1001/chain', { hits: 11 });
  await control('/__sim/players/2003/status', { state: 'Hospital', earlyDischarge: true });
  const alone = await torn.factionChain(keyOf(2001), 1001, { fresh: true });
  assert.deepEqual([alone.chain.current, alone.chain.max], [11, 25]);
  const both = await torn.factionMembersAndChain(keyOf(2001), 1001, { fresh: true });
  assert.equal(both.chain.current, 11);
  const members = toMembers(both);
  assert.equal(members.find((m) => m.id === 2001)?.position, 'Leader');
  const hurt = members.find((m) => m.id === 2003);
  assert.deepEqual([hurt?.status.state, hurt?.hasEarlyDischarge, typeof hurt?.isRevivable], ['Hospital', true, 'boolean']);
  await assert.rejects(torn.factionChain(keyOf(2026), 9999), { name: 'TornApiError', code: 6 });
  await control('/__sim/reset', {});
});
