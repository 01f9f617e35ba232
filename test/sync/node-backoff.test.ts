import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { backends } from '../helpers/databases.js';
import { demoKey, startWarFixture, type WarFixture } from '../helpers/war-fixture.js';
import { sleep } from '../helpers/calls.js';
import { until } from '../helpers/until.js';
import { BackoffLog, ENEMY_OF, startWatchedSync } from '../helpers/watched-sync.js';
import type { WarSync } from '../../src/sync/war-sync.js';

for (const backend of await backends()) {
  describe(`Torn's IP block (error 8) on ${backend.name}: the whole node backs off, then resumes`, () => {
    let f: WarFixture;
    let sync: WarSync;
    const reported = new BackoffLog();
    const stats = async (): Promise<{ total: number; byEndpoint: Record<string, number> }> => f.simControl('/__sim/stats');

    before(async () => {
      f = await startWarFixture(backend);
      // Two members of faction 1001 and one of its enemy 1002: this node polls both factions.
      for (const id of [2001, 2002, 3001]) await f.signIn(id);
      // A poller of its own, so that the back-off's first wait (0.75-1.5 s) can be watched.
      sync = await startWatchedSync(f, reported, { backoffBaseMs: 1500, backoffMaxMs: 3000 });
    });
    after(async () => {
      await sync?.stop();
      await f.close();
    });

    test("error 8 on one member's key pauses the polling of every faction on the node, its enemy's included", async () => {
      await f.simControl(`/__sim/keys/${demoKey(2001)}/error`, { code: 8 });
      await until('both factions to report the back-off', () => reported.last(1001) === 1 && reported.last(1002) === 1);
      assert.equal(Math.max(...reported.levels.get(1001)!), 1, 'requests in flight when the block came did not grow it');
      // The first wait is at least 750 ms from the error: well inside it, nobody asks Torn anything.
      await sleep(50);
      const from = await stats();
      await sleep(600);
      const to = await stats();
      assert.equal(to.total - from.total, 0, `${to.total - from.total} requests during the back-off`);
      assert.equal(sync.polling.size, 2, 'the node still holds both factions: it only waits');
    });

    test('once Torn answers again, one probe ends the back-off and every faction polls again', async () => {
      await f.simControl(`/__sim/keys/${demoKey(2001)}/error`, { code: null });
      await until('the back-off to end for both factions', () => reported.last(1001) === 0 && reported.last(1002) === 0, 10_000);
      const from = (await stats()).byEndpoint;
      await sleep(1000);
      const to = (await stats()).byEndpoint;
      for (const faction of [1001, 1002] as const) {
        const polls = (to[ENEMY_OF[faction]] ?? 0) - (from[ENEMY_OF[faction]] ?? 0);
        assert.ok(polls >= 5, `faction ${faction} polled its enemy ${polls} times in 1 s after the back-off`);
      }
    });
  });
}
