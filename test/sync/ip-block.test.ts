// Torn blocks the node's IP (error 8 on every key, whoever's) for longer than the back-off's first
// waits: each probe meets the block again and the node's back-off grows, no faction polls in between
// beyond those probes, and once the block lifts every faction polls again. The simulator's IP block
// answers every key alike, as Torn does.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { backends } from '../helpers/databases.js';
import { startWarFixture, type WarFixture } from '../helpers/war-fixture.js';
import { createLogger } from '../../src/log.js';
import { KeyPool } from '../../src/sync/key-pool.js';
import { createTornClient } from '../../src/torn/index.js';
import { AddressBudget } from '../../src/sync/address-budget.js';
import { WarSync } from '../../src/sync/war-sync.js';
import type { SyncMetrics } from '../../src/sync/sync-metrics.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, probe: () => Promise<T | false> | T | false, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

/** The enemy endpoints of the two factions' pollers: 1001 polls 1002 and 1002 polls 1001. */
const ENEMY_OF = { 1001: '/v2/faction/1002?selections=members,wars', 1002: '/v2/faction/1001?selections=members,wars' } as const;

/** What the sync reports of its back-off, faction by faction, in order. */
class BackoffLog implements SyncMetrics {
  readonly levels = new Map<number, number[]>();
  backoff(factionId: number, level: number): void {
    this.levels.set(factionId, [...(this.levels.get(factionId) ?? []), level]);
  }
  last(factionId: number): number {
    return this.levels.get(factionId)?.at(-1) ?? 0;
  }
  polling(): void {}
  keyAction(): void {}
  forget(): void {}
}

const [pglite] = (await backends()).filter((b) => b.name === 'pglite');

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
    sync = new WarSync({
      db: f.db,
      torn: createTornClient({ baseUrl: f.sim.url }),
      keys: new KeyPool({
        db: f.db,
        vault: f.server.ctx.vault,
        playerBudgetPerWindow: 100,
        address: new AddressBudget({ db: f.db, address: 'default', perWindow: 1000 }),
      }),
      log: createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'),
      metrics: reported,
      warCheckIntervalMs: 1000,
      targetStatusRefreshIntervalMs: 100,
      ownFactionRefreshIntervalMs: 500,
      backoffBaseMs: 600,
      backoffMaxMs: 2000,
    });
    sync.start();
    await until('both factions to poll their enemy', async () => {
      const s = (await stats()).byEndpoint;
      return (s[ENEMY_OF[1001]] ?? 0) >= 3 && (s[ENEMY_OF[1002]] ?? 0) >= 3;
    });
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
