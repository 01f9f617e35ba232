// A ranked war is matched, and listed by Torn, hours before it starts: upcoming until its start,
// with no enemy polling until shortly before; then active, its scores following at the enemy's pace.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { backends } from '../helpers/databases.js';
import { startWarFixture, type WarFixture } from '../helpers/war-fixture.js';

const ENEMY = '/v2/faction/1002?selections=members,wars';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

for (const backend of await backends()) {
  describe(`an upcoming war on ${backend.name}`, () => {
    let f: WarFixture;
    let token: string;
    let seen = 0;
    let start = 0;
    const stats = async (): Promise<Record<string, number>> => (await f.simControl('/__sim/stats')).byEndpoint;
    const snapshot = async () => (await f.api('/api/war', { token })).body;
    const newEvents = async (): Promise<{ id: number; event: string; data: any }[]> => {
      const events = (await f.api(`/api/events?since=${seen}&wait=0`, { token })).body.events;
      if (events.length) seen = events.at(-1).id;
      return events;
    };
    /** Moves Torn's clock, and lets the node learn it as it would in a few minutes. */
    const advance = async (seconds: number) => {
      await f.simControl('/__sim/clock', { advance: seconds });
      assert.equal(await f.server.ctx.sync.syncClock(1001), true);
    };

    before(async () => {
      f = await startWarFixture(backend);
      token = await f.signIn(2001);
      assert.equal(await f.server.ctx.sync.syncClock(1001), true);
      await f.simControl('/__sim/wars/5001/end', {});
      const now = (await f.simControl('/__sim/clock', { advance: 0 })).now as number;
      start = now + 600;
      await f.simControl('/__sim/wars/5002/start', { start });
    });
    after(() => f.close());

    test('a war Torn lists before its start is recorded as upcoming, with no enemy polling', async () => {
      await f.sync(1001);
      const war = (await newEvents()).filter((e) => e.event === 'war');
      assert.deepEqual(
        war.map((e) => [e.data.warId, e.data.state, e.data.start, e.data.end]),
        [[5002, 'upcoming', start, null]],
      );
      const snap = await snapshot();
      assert.equal(snap.war.id, 5002);
      assert.equal(snap.war.phase, 'upcoming');
      assert.equal(snap.war.end, null, "Torn's end of 0 is not an end");
      assert.equal(snap.war.active, true, 'open: upcoming is not ended');
      assert.deepEqual(snap.targets, []);
      await f.sync(1001);
      assert.equal((await stats())[ENEMY], undefined, 'the enemy is not polled ten minutes before the start');
    });

    test('shortly before the start the enemy is polled, and the war is still upcoming', async () => {
      await advance(600 - 50);
      await f.sync(1001);
      assert.equal((await stats())[ENEMY], 1, 'polled once the start is less than a minute away');
      const snap = await snapshot();
      assert.equal(snap.war.phase, 'upcoming');
      assert.equal(snap.targets.length, 25, "the board has the enemy's members before the start");
      assert.equal((await newEvents()).filter((e) => e.event === 'war').length, 0);
    });

    test('at its start the war becomes active, with one war event saying so', async () => {
      await advance(60);
      await f.sync(1001);
      await f.sync(1001);
      const war = (await newEvents()).filter((e) => e.event === 'war');
      assert.deepEqual(
        war.map((e) => [e.data.warId, e.data.state]),
        [[5002, 'started']],
      );
      const snap = await snapshot();
      assert.equal(snap.war.phase, 'active');
      assert.equal(snap.war.end, null);
    });

    test('Torn ending the war ends it, whatever end it showed while it ran', async () => {
      await f.simControl('/__sim/wars/5002/end', {});
      await f.sync(1001);
      const war = (await newEvents()).filter((e) => e.event === 'war');
      assert.deepEqual(
        war.map((e) => [e.data.warId, e.data.state]),
        [[5002, 'ended']],
      );
      const snap = await snapshot();
      assert.equal(snap.war.phase, 'ended');
      assert.equal(snap.war.active, false);
      assert.ok(snap.war.end >= start);
    });
  });

  describe(`the war's scores on ${backend.name}`, () => {
    let f: WarFixture;
    let token: string;
    const TARGETS_MS = 200;

    before(async () => {
      // War checks far apart: what keeps the score current is the enemy poll.
      f = await startWarFixture(backend, {
        simDynamic: true,
        env: {
          TARGET_STATUS_REFRESH_INTERVAL_MS: String(TARGETS_MS),
          WAR_CHECK_INTERVAL_MS: '600000',
          OWN_FACTION_REFRESH_INTERVAL_MS: '600000',
          TORN_PLAYER_BUDGET_PER_MIN: '100',
        },
        server: { sync: true },
      });
      token = await f.signIn(2001);
      await sleep(5 * TARGETS_MS);
    });
    after(() => f.close());

    test('follow Torn at the target-status interval, with no war check of their own', async () => {
      const state = async () => (await (await fetch(f.sim.url + '/__sim/state')).json()).wars.find((w: { id: number }) => w.id === 5001);
      const checks = async () => (await f.simControl('/__sim/stats')).byEndpoint['/v2/faction/1001/wars'];
      const checksBefore = await checks();
      assert.ok(checksBefore >= 1, 'the war was found by a war check');
      await f.simControl('/__sim/clock', { advance: 30 * 60 });
      const torn = Object.fromEntries((await state()).factions.map((x: { id: number; score: number }) => [String(x.id), x.score]));
      let scores: Record<string, number> = {};
      const from = Date.now();
      while (JSON.stringify(scores) !== JSON.stringify(torn) && Date.now() - from < 5000) {
        await sleep(50);
        scores = (await f.api('/api/war', { token })).body.war.scores;
      }
      assert.deepEqual(scores, torn, "the snapshot's scores are Torn's");
      const took = Date.now() - from;
      assert.ok(took < 10 * TARGETS_MS, `scores caught up in ${took} ms`);
      assert.equal(await checks(), checksBefore, 'no war check ran meanwhile');
      const summary = (await f.api('/api/war', { token })).body.summary;
      assert.deepEqual(summary.scores, torn, 'the summary has them too');
    });
  });
}
