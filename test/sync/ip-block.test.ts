// Torn blocks the node's IP (error 8 on every key, whoever's) for longer than the back-off's first
// waits: each probe meets the block again and the node's back-off grows, no faction polls in between
// beyond those probes, and once the block lifts every faction polls again. The simulator's IP block
// answers every key alike, as Torn does.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { pgliteBackend } from '../helpers/databases.js';
import { startWarFixture, type WarFixture } from '../helpers/war-fixture.js';
import { until } from '../helpers/until.js';
import { BackoffLog, ENEMY_OF, startWatchedSync } from '../helpers/watched-sync.js';
import type { WarSync } from '../../src/sync/war-sync.js';

const pglite = await pgliteBackend();

describe('an IP block that outlasts the first probes', () => {
  let f: WarFixture;
  let sync: WarSync;
  const reported = new BackoffLog();
  const stats = async (): Promise<{ byEndpoint: Record<string, number> }> => f.simControl('/__sim/stats');
  /** Requests about factions (the pollers' work), leaving out the clock. */
  const factionRequests = async (): Promise<number> =>
    Object.entries((await stats()).byEndpoint)
      .filter(([endpoint]) => endpoint.includes('/faction'))
      .reduce((n, [, c]) => n + c, 0);

  before(async () => {
    f = await startWarFixture(pglite);
    for (const id of [2001, 2002, 3001]) await f.signIn(id);
    sync = await startWatchedSync(f, reported, { backoffBaseMs: 600, backoffMaxMs: 2000 });
  });
  after(async () => {
    await sync?.stop();
    await f?.close();
  });

  test('each probe meets the block and the back-off grows; between probes no faction is polled; after the block every faction is', async () => {
    const { blockedUntil } = await f.simControl('/__sim/ip-block', { seconds: 600 });
    assert.ok(blockedUntil > 0);
    await until('the node to back off', () => reported.last(1001) >= 1 && reported.last(1002) >= 1);
    const firstLevel = Math.max(reported.last(1001), reported.last(1002));
    const from = await factionRequests();
    // Three more probes, each refused: the block outlasts them, and each grows the back-off.
    await until('three probes to meet the block', () => reported.last(1001) >= firstLevel + 3);
    const level = reported.last(1001);
    const sent = (await factionRequests()) - from;
    const probes = level - firstLevel;
    // A probe on its way when we looked is counted by the simulator and not yet by the back-off.
    assert.ok(sent >= probes && sent <= probes + 1, `${sent} faction requests while the back-off grew ${probes} times: only the probes`);
    assert.deepEqual(reported.levels.get(1001)?.slice(-4), [level - 3, level - 2, level - 1, level], 'the back-off grew a level per probe');
    assert.equal(reported.last(1002), level, 'the whole node backs off, the other faction too');
    assert.equal(sync.polling.size, 2, 'the node still holds both factions: it only waits');

    await f.simControl('/__sim/ip-block', { seconds: 0 });
    await until('the back-off to end for both factions', () => reported.last(1001) === 0 && reported.last(1002) === 0);
    // Every faction polls its enemy again, beyond the one probe that found Torn answering (the players'
    // own budgets, spent before the block, pace how fast).
    const after = (await stats()).byEndpoint;
    await until('both factions to poll their enemy again', async () => {
      const later = (await stats()).byEndpoint;
      return ([1001, 1002] as const).every((faction) => (later[ENEMY_OF[faction]] ?? 0) - (after[ENEMY_OF[faction]] ?? 0) >= 2);
    });
  });
});
