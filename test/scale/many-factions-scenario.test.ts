import { test } from 'node:test';
import assert from 'node:assert/strict';
import { demoKeyFor, manyFactionsLayout, startSimulator } from '../../src/simulator/index.js';

test('the many-factions scenario adds N factions of M members at war two by two, beside the default scenario', async () => {
  const layout = manyFactionsLayout({ factions: 4, members: 3 });
  assert.deepEqual(
    layout.map((f) => [f.id, f.enemyId, f.warId]),
    [
      [10001, 10002, 50001],
      [10002, 10001, 50001],
      [10003, 10004, 50002],
      [10004, 10003, 50002],
    ],
  );
  assert.deepEqual(layout[1].memberIds, [1001001, 1001002, 1001003]);

  const sim = await startSimulator({ manyFactions: { factions: 4, members: 3 }, dynamic: false });
  try {
    const state = (await (await fetch(`${sim.url}/__sim/state`)).json()) as {
      factions: { id: number; memberIds: number[] }[];
      wars: { id: number; end: number | null; factions: { id: number }[] }[];
      players: { name: string }[];
    };
    assert.deepEqual(
      state.factions.map((f) => f.id).sort((a, b) => a - b),
      [1001, 1002, 10001, 10002, 10003, 10004],
    );
    for (const f of layout) assert.deepEqual(state.factions.find((s) => s.id === f.id)?.memberIds, f.memberIds);
    const war = state.wars.find((w) => w.id === 50002);
    assert.deepEqual(
      war?.factions.map((f) => f.id),
      [10003, 10004],
    );
    assert.equal(war?.end, null, 'under way');
    assert.equal(new Set(state.players.map((p) => p.name)).size, state.players.length, 'every name is taken once');

    // A generated member's key reads their faction's war and its enemy, as Torn would answer.
    const r = await fetch(`${sim.url}/v2/faction/10004?selections=members,wars&key=${demoKeyFor(1002002)}`);
    const body = (await r.json()) as { members: unknown[]; wars: { ranked: { war_id: number } } };
    assert.equal(body.members.length, 3);
    assert.equal(body.wars.ranked.war_id, 50002);
    // The default scenario's member still signs in as before.
    const own = await fetch(`${sim.url}/v2/faction/members?key=${demoKeyFor(2001)}`);
    assert.equal(((await own.json()) as { members: unknown[] }).members.length, 25);
  } finally {
    await sim.close();
  }
});

test('the many-factions scenario refuses an odd number of factions and more members than Torn allows', () => {
  assert.throws(() => manyFactionsLayout({ factions: 3, members: 10 }), /factions must be an even integer from 2 to 1000, got 3/);
  assert.throws(() => manyFactionsLayout({ factions: 2, members: 101 }), /members must be an integer from 1 to 100, got 101/);
});
