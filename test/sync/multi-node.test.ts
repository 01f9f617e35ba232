import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { backends } from '../helpers/databases.js';
import { pollerLockHolderPid } from '../helpers/backend-pids.js';
import { startWarFixture, type WarFixture } from '../helpers/war-fixture.js';
import type { RunningServer } from '../../src/server/start-server.js';

const INTERVAL_MS = 300;
const ENV = {
  TARGET_STATUS_REFRESH_INTERVAL_MS: String(INTERVAL_MS),
  WAR_CHECK_INTERVAL_MS: String(8 * INTERVAL_MS),
  OWN_FACTION_REFRESH_INTERVAL_MS: String(4 * INTERVAL_MS),
  TORN_KEY_BUDGET_PER_MIN: '100',
};
/** Requests one poller makes per 8 intervals: 8 enemy polls, 1 war check, 2 own-faction refreshes. */
const PER_8_INTERVALS = 11;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Torn requests of the war sync (faction endpoints) this node made, from its own /metrics. */
async function syncRequests(node: RunningServer): Promise<number> {
  const m = await node.ctx.metrics.tornRequests.get();
  return m.values.filter((v) => String(v.labels.endpoint).startsWith('v2/faction/')).reduce((n, v) => n + v.value, 0);
}

/** Faction requests the simulator answered (every node's clock requests left out: they are not the poller's). */
async function simFactionRequests(f: WarFixture): Promise<number> {
  const stats = (await f.simControl('/__sim/stats')) as { byEndpoint: Record<string, number> };
  return Object.entries(stats.byEndpoint)
    .filter(([endpoint]) => endpoint.startsWith('/v2/faction'))
    .reduce((n, [, count]) => n + count, 0);
}

// Several nodes need one shared database: PostgreSQL only (PGlite is one process's).
const postgres = (await backends()).find((b) => b.name === 'postgres');

describe(
  'one poller per faction across server nodes on postgres',
  { skip: postgres ? false : 'PostgreSQL is not reachable (under CI it must be)' },
  () => {
    let f: WarFixture;
    let a: RunningServer;
    let b: RunningServer;

    before(async () => {
      f = await startWarFixture(postgres!, { env: ENV, server: { sync: true } });
      a = f.server;
      b = await f.startNode();
      await f.signIn(2001);
      await f.signIn(2002);
      await sleep(2 * INTERVAL_MS);
    });
    after(() => f.close());

    test('two nodes: exactly one polls Torn for the faction, at the rate of one poller', async () => {
      const before = { a: await syncRequests(a), b: await syncRequests(b), sim: await simFactionRequests(f) };
      await sleep(8 * INTERVAL_MS);
      const da = (await syncRequests(a)) - before.a;
      const db = (await syncRequests(b)) - before.b;
      const sim = (await simFactionRequests(f)) - before.sim;
      assert.ok((da === 0) !== (db === 0), `exactly one node polls (node a: ${da}, node b: ${db})`);
      // ±1: a request in flight at either end is counted by the simulator before the node sees its answer.
      assert.ok(Math.abs(sim - (da + db)) <= 1, `the simulator saw only those requests (${sim} vs ${da + db})`);
      assert.ok(Math.abs(sim - PER_8_INTERVALS) <= 2, `${sim} requests in 8 intervals: one poller makes ${PER_8_INTERVALS}`);
      const holders = [a, b].filter((n) => n.ctx.sync.polling.has(1001));
      assert.equal(holders.length, 1);
    });

    test('stopping the polling node: the other takes over within two intervals', async () => {
      const [holder, other] = a.ctx.sync.polling.has(1001) ? [a, b] : [b, a];
      const before = await syncRequests(other);
      await holder.close();
      const stoppedAt = Date.now();
      while (!other.ctx.sync.polling.has(1001) && Date.now() - stoppedAt < 10 * INTERVAL_MS) await sleep(10);
      const tookOver = Date.now() - stoppedAt;
      assert.ok(other.ctx.sync.polling.has(1001), 'the other node holds the lock');
      assert.ok(tookOver <= 2 * INTERVAL_MS, `took over after ${tookOver} ms (two intervals: ${2 * INTERVAL_MS} ms)`);
      while ((await syncRequests(other)) === before && Date.now() - stoppedAt < 10 * INTERVAL_MS) await sleep(10);
      const firstRequest = Date.now() - stoppedAt;
      assert.ok((await syncRequests(other)) > before, 'and polls Torn');
      assert.ok(firstRequest <= 2 * INTERVAL_MS + 100, `first request ${firstRequest} ms after the stop`);
    });

    test('a poller whose lock connection dies stops polling: never two pollers, and polling goes on', async () => {
      const c = await f.startNode();
      const holder = [a, b].find((n) => n.ctx.sync.polling.has(1001))!;
      const pid = await pollerLockHolderPid(f.db, 1001);
      assert.ok(pid, 'the holder has a lock connection');
      await f.db.query('select pg_terminate_backend($1)', [pid]);
      await sleep(2 * INTERVAL_MS);
      const before = { h: await syncRequests(holder), c: await syncRequests(c), sim: await simFactionRequests(f) };
      await sleep(8 * INTERVAL_MS);
      const sim = (await simFactionRequests(f)) - before.sim;
      const dh = (await syncRequests(holder)) - before.h;
      const dc = (await syncRequests(c)) - before.c;
      assert.ok((dh === 0) !== (dc === 0), `exactly one node polls (old holder: ${dh}, new node: ${dc})`);
      assert.ok(Math.abs(sim - PER_8_INTERVALS) <= 2, `${sim} requests in 8 intervals: one poller makes ${PER_8_INTERVALS}`);
      assert.equal([holder, c].filter((n) => n.ctx.sync.polling.has(1001)).length, 1);
    });
  },
);
