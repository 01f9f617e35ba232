import { createLogger } from '../../src/log.js';
import { KeyPool } from '../../src/sync/key-pool.js';
import { AddressBudget } from '../../src/sync/address-budget.js';
import { createTornClient } from '../../src/torn/index.js';
import { WarSync } from '../../src/sync/war-sync.js';
import type { SyncMetrics } from '../../src/sync/sync-metrics.js';
import type { WarFixture } from './war-fixture.js';
import { until } from './until.js';

/** The enemy endpoints of the two factions' pollers: 1001 polls 1002 and 1002 polls 1001. */
export const ENEMY_OF = { 1001: '/v2/faction/1002?selections=members,wars', 1002: '/v2/faction/1001?selections=members,wars' } as const;

/** What the sync reports of its back-off, faction by faction, in order. */
export class BackoffLog implements SyncMetrics {
  readonly levels = new Map<number, number[]>();
  backoff(factionId: number, level: number): void {
    this.levels.set(factionId, [...(this.levels.get(factionId) ?? []), level]);
  }
  /** The last level reported; 0 when none was. */
  last(factionId: number): number {
    return this.levels.get(factionId)?.at(-1) ?? 0;
  }
  polling(): void {}
  keyAction(): void {}
  forget(): void {}
}

/**
 * A poller of the test's own on the fixture's database and Torn, polling fast, with a back-off short
 * enough to watch (`backoffBaseMs`, `backoffMaxMs`) and reporting it to `reported`. Started, and
 * returned once both factions (1001 and 1002: a member of each signed in) poll their enemy.
 */
export async function startWatchedSync(
  f: WarFixture,
  reported: SyncMetrics,
  backoff: { backoffBaseMs: number; backoffMaxMs: number },
): Promise<WarSync> {
  const sync = new WarSync({
    db: f.db,
    // A client of its own: the server's counts members' requests in the address's budget, the key pool counts these.
    torn: createTornClient({ baseUrl: f.sim.url }),
    clock: f.server.ctx.clock,
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
    ...backoff,
  });
  sync.start();
  try {
    await until('both factions to poll their enemy', async () => {
      const s = ((await f.simControl('/__sim/stats')) as { byEndpoint: Record<string, number> }).byEndpoint;
      return (s[ENEMY_OF[1001]] ?? 0) >= 3 && (s[ENEMY_OF[1002]] ?? 0) >= 3;
    });
  } catch (e) {
    await sync.stop();
    throw e;
  }
  return sync;
}
