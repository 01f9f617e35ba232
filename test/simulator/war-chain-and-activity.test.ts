// The simulator's ranked war answer carries each side's chain as Torn's does (`wars.ranked.factions[].chain`,
// the spec's FactionRankedWarParticipant): in a dynamic war the enemy's grows with its hits and breaks five
// minutes after the last one; and a player's last action can be set, as Torn's `last_action` reports it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { keyOf, openSimulator } from './helpers.js';

const warChain = async (h: Awaited<ReturnType<typeof openSimulator>>, factionId: number) => {
  const wars = await h.torn(`/v2/faction/1001/wars?key=${keyOf(2001)}&timestamp=${Date.now()}`);
  return wars.wars.ranked.factions.find((f: { id: number }) => f.id === factionId).chain as number;
};

test('in a dynamic war the enemy’s chain in the war’s answer grows with its hits, the same as its chain endpoint', async () => {
  const h = await openSimulator({ dynamic: true, seed: 5 });
  try {
    const seen: number[] = [await warChain(h, 1002)];
    for (let i = 0; i < 4; i++) {
      await h.control('POST', '/__sim/clock', { advance: 120 });
      seen.push(await warChain(h, 1002));
      const own = await h.torn(`/v2/faction/1002/chain?key=${keyOf(2001)}&timestamp=${Date.now()}`);
      assert.equal(own.chain.current, seen.at(-1), 'one truth for both answers');
    }
    assert.ok(seen.at(-1)! > seen[0], `their chain moved: ${seen.join(' → ')}`);
  } finally {
    await h.sim.close();
  }
});

test('a chain set by the control breaks five minutes after its last hit, in the war’s answer too', async () => {
  const h = await openSimulator({ dynamic: false });
  try {
    await h.control('POST', '/__sim/factions/1002/chain', { current: 48 });
    assert.equal(await warChain(h, 1002), 48);
    await h.control('POST', '/__sim/clock', { advance: 299 });
    assert.equal(await warChain(h, 1002), 48);
    await h.control('POST', '/__sim/clock', { advance: 2 });
    assert.equal(await warChain(h, 1002), 0);
  } finally {
    await h.sim.close();
  }
});

test('lastActionAgo sets a player’s last action: Online under 5 minutes, Idle under 30, else Offline', async () => {
  const h = await openSimulator({ dynamic: false });
  try {
    const lastAction = async (id: number) => {
      const body = await h.torn(`/v2/faction/1002/members?key=${keyOf(2001)}&timestamp=${Date.now()}`);
      return body.members.find((m: { id: number }) => m.id === id).last_action;
    };
    const now = h.sim.now();
    for (const [ago, status] of [
      [60, 'Online'],
      [12 * 60, 'Idle'],
      [4 * 3600, 'Offline'],
    ] as const) {
      await h.control('POST', '/__sim/players/3004/status', { state: 'Okay', lastActionAgo: ago });
      const la = await lastAction(3004);
      assert.equal(la.status, status);
      assert.ok(Math.abs(la.timestamp - (now - ago)) <= 2, `${la.timestamp} vs ${now - ago}`);
    }
    const bad = await h.control('POST', '/__sim/players/3004/status', { state: 'Okay', lastActionAgo: -1 }, 400);
    assert.match(bad.error, /lastActionAgo/);
  } finally {
    await h.sim.close();
  }
});
