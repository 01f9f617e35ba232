// The default scenario drawn from the seed, and statuses that move on the seeded clock.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { keyOf, openSimulator, type SimHandle } from './helpers.js';

async function withSim<T>(opts: Parameters<typeof openSimulator>[0], fn: (h: SimHandle) => Promise<T>): Promise<T> {
  const h = await openSimulator(opts);
  try {
    return await fn(h);
  } finally {
    await h.sim.close();
  }
}

const roster = (state: any) => state.players.map((p: any) => `${p.id}:${p.name}:${p.level}`);
const states = (state: any) => state.players.map((p: any) => `${p.id}:${p.status.state}:${p.status.details}`);

test('the default scenario has the two demo factions, their 50 players, the factionless 2026 and war 5001', async () => {
  await withSim({}, async (h) => {
    const ours = await h.torn(`/v2/faction/wars?key=${keyOf(2013)}`);
    assert.equal(ours.wars.ranked.war_id, 5001);
    assert.deepEqual(
      ours.wars.ranked.factions.map((f: any) => [f.id, f.name]),
      [
        [1001, 'TornCat Demo'],
        [1002, 'Demo Rivals'],
      ],
    );
    assert.ok(ours.wars.ranked.start < h.sim.now(), 'already running at start');
    assert.equal(ours.wars.ranked.end, 0, 'a war not over shows an end of 0');
    const state = await h.control('GET', '/__sim/state');
    const ids = state.players.map((p: any) => p.id);
    assert.deepEqual(ids, [...Array.from({ length: 25 }, (_, i) => 2001 + i), ...Array.from({ length: 25 }, (_, i) => 3001 + i), 2026]);
    assert.equal(new Set(state.players.map((p: any) => p.name)).size, 51, 'names are unique');
  });
});

test('the same seed gives the same names, levels and statuses, another seed different ones', async () => {
  const a = await withSim({ seed: 42 }, (h) => h.control('GET', '/__sim/state'));
  const b = await withSim({ seed: 42 }, (h) => h.control('GET', '/__sim/state'));
  const c = await withSim({ seed: 43 }, (h) => h.control('GET', '/__sim/state'));
  assert.deepEqual(roster(a), roster(b));
  assert.deepEqual(states(a), states(b));
  assert.notDeepEqual(roster(a), roster(c));
});

test('with the same seed the story plays out the same way as the clock advances', async () => {
  // Frozen real time: two runs started in different seconds would see a stay end on either side of +1800 s.
  const run = (seed: number) =>
    withSim({ seed, realNow: () => 1_800_000_000_000 }, async (h) => {
      await h.control('POST', '/__sim/clock', { advance: 1800 });
      return states(await h.control('GET', '/__sim/state'));
    });
  assert.deepEqual(await run(9), await run(9));
});

test('dynamic statuses change a few times a minute across the 50 players, both ways', async () => {
  await withSim({ dynamic: true, seed: 3 }, async (h) => {
    let changes = 0;
    const seen = new Set<string>();
    let prev = await h.control('GET', '/__sim/state');
    for (let minute = 0; minute < 20; minute++) {
      await h.control('POST', '/__sim/clock', { advance: 60 });
      const next = await h.control('GET', '/__sim/state');
      next.players.forEach((p: any, i: number) => {
        const from = prev.players[i].status.state;
        if (from !== p.status.state) {
          changes++;
          seen.add(`${from}->${p.status.state}`);
        }
      });
      prev = next;
    }
    assert.ok(changes >= 20 && changes <= 200, `${changes} changes in 20 minutes`);
    assert.ok(seen.has('Hospital->Okay'), `hospital stays end (${[...seen].join(', ')})`);
    assert.ok(seen.has('Okay->Hospital'), 'new hospitalizations happen');
  });
});

test('dynamic war scores grow and never go down', async () => {
  await withSim({ dynamic: true }, async (h) => {
    const scores = async () => (await h.control('GET', '/__sim/state')).wars[0].factions.map((f: any) => f.score);
    const first = await scores();
    await h.control('POST', '/__sim/clock', { advance: 600 });
    const second = await scores();
    await h.control('POST', '/__sim/clock', { advance: 600 });
    const third = await scores();
    for (let i = 0; i < 2; i++)
      assert.ok(first[i] <= second[i] && second[i] <= third[i], `faction ${i}: ${first[i]} ${second[i]} ${third[i]}`);
    assert.ok(third[0] + third[1] > first[0] + first[1], 'someone scored in 20 minutes');
  });
});

test('with dynamic false nothing moves on its own: statuses keep still and scores hold', async () => {
  await withSim({ dynamic: false }, async (h) => {
    const before = await h.control('GET', '/__sim/state');
    await h.control('POST', '/__sim/clock', { advance: 6 * 3600 });
    const after = await h.control('GET', '/__sim/state');
    assert.deepEqual(after.wars[0].factions, before.wars[0].factions);
    after.players.forEach((p: any, i: number) => {
      const was = before.players[i].status;
      // Timed stays run out (Torn shows an ended stay as Okay); nothing else changes.
      if (was.state === 'Hospital' || was.state === 'Jail') assert.equal(p.status.state, 'Okay');
      else assert.deepEqual(p.status, was, `player ${p.id}`);
    });
  });
});

test('hospital descriptions count down as sim time passes, as Torn words them', async () => {
  await withSim({ dynamic: false }, async (h) => {
    await h.control('POST', '/__sim/players/3001/status', { state: 'Hospital', until: h.sim.now() + 2 * 3600 + 5 * 60 });
    const describe = async () => (await h.torn(`/v2/faction/1002/members?key=${keyOf(2001)}&timestamp=1`)).members[0].status.description;
    assert.match(await describe(), /^In hospital for 2 hrs [45] mins $/);
    await h.control('POST', '/__sim/clock', { advance: 2 * 3600 });
    assert.match(await describe(), /^In hospital for [45] mins $/);
    await h.control('POST', '/__sim/clock', { advance: 4 * 60 + 20 });
    assert.match(await describe(), /^In hospital for \d+ secs $/);
  });
});

test('the simulator listens where asked and reports its own url without a trailing slash', async () => {
  await withSim({ host: '127.0.0.1', port: 0 }, async (h) => {
    assert.equal(h.sim.url, `http://127.0.0.1:${h.sim.port}`);
    assert.ok(h.sim.port > 0);
    assert.ok(Math.abs(h.sim.now() - Math.floor(Date.now() / 1000)) <= 1, 'sim time starts at wall-clock time');
  });
});
