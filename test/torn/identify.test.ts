// identify() against a scripted server, for the disagreement case the simulator never produces.
// The ordinary cases are also checked against the simulator in simulator.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTornClient, TornApiError } from '../../src/torn/index.js';
import { sendJson, startFakeTorn } from './fake-torn.js';

const KEY = 'qQ1wW2eE3rR4tT5y';

function keyInfo(id: number, factionId: number | null) {
  return {
    info: {
      selections: {},
      user: { id, faction_id: factionId, company_id: null },
      access: { level: 3, type: 'Limited Access', faction: true, company: false, log: { custom_permissions: false, available: [] } },
    },
  };
}

function profile(id: number, factionId: number, factionName: string) {
  return {
    player_id: id,
    name: `Player${id}`,
    level: 42,
    status: { description: 'Okay', details: '', state: 'Okay', color: 'green', until: 0 },
    last_action: { status: 'Online', timestamp: 1700000000, relative: 'now' },
    faction: {
      position: factionId ? 'Member' : 'None',
      faction_id: factionId,
      days_in_faction: 0,
      faction_name: factionName,
      faction_tag: 'TC',
    },
  };
}

async function withTorn(info: unknown, prof: unknown, fn: (torn: ReturnType<typeof createTornClient>) => Promise<void>) {
  const fake = await startFakeTorn((_req, res, url) => sendJson(res, url.pathname === '/v2/key/info' ? info : prof));
  try {
    await fn(createTornClient({ baseUrl: fake.url }));
  } finally {
    await fake.close();
  }
}

test('identify names the player, their faction and the key access', async () => {
  await withTorn(keyInfo(2001, 1001), profile(2001, 1001, 'TornCat Demo'), async (torn) => {
    assert.deepEqual(await torn.identify(KEY), {
      player: { id: 2001, name: 'Player2001', level: 42 },
      faction: { id: 1001, name: 'TornCat Demo', position: 'Member' },
      access: { level: 3, type: 'Limited Access' },
    });
  });
});

test('identify gives a null faction for a factionless player', async () => {
  await withTorn(keyInfo(2026, null), profile(2026, 0, 'None'), async (torn) => {
    assert.equal((await torn.identify(KEY)).faction, null);
  });
});

test('identify refuses answers that disagree on the faction as a temporary failure', async () => {
  await withTorn(keyInfo(2001, 1001), profile(2001, 1002, 'Demo Rivals'), async (torn) => {
    await assert.rejects(torn.identify(KEY), (e) => {
      assert.ok(e instanceof TornApiError);
      assert.equal(e.kind, 'temporary');
      return true;
    });
  });
});
