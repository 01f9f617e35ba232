// The war's score over time: a row per change Torn showed, with a `war_score` event each, in the
// snapshot (`scoreHistory`) and the war report (with each side's pace), gone with its war; read from
// the answers the sync already gets, so it costs no Torn request.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { backends } from '../helpers/databases.js';
import { startWarFixture, type WarFixture } from '../helpers/war-fixture.js';
import { paceOf } from '../../src/protocol/score.js';

for (const backend of await backends()) {
  describe(`score history on ${backend.name}`, () => {
    let f: WarFixture;
    let token: string;
    let seen = 0;
    const newEvents = async (): Promise<{ id: number; event: string; data: any }[]> => {
      const events = (await f.api(`/api/events?since=${seen}&wait=0`, { token })).body.events;
      if (events.length) seen = events.at(-1).id;
      return events;
    };
    /** Torn's scores of war 5001 as the simulator has them now, ours (1001) and theirs (1002). */
    const torn = async () => {
      const war = (await (await fetch(f.sim.url + '/__sim/state')).json()).wars.find((w: { id: number }) => w.id === 5001);
      const score = (id: number) => war.factions.find((x: { id: number }) => x.id === id).score as number;
      return { ours: score(1001), theirs: score(1002) };
    };
    const tornNow = async () => (await f.simControl('/__sim/clock', { advance: 0 })).now as number;

    before(async () => {
      f = await startWarFixture(backend, { simDynamic: true, env: { TORN_PLAYER_BUDGET_PER_MIN: '100' } });
      token = await f.signIn(2001);
      assert.equal(await f.server.ctx.sync.syncClock(1001), true);
    });
    after(() => f.close());

    /** Torn requests so far, but for the chain reports a forced sync also reads (issue 18's real hits). */
    const requestsButReports = async () => {
      const st = (await f.simControl('/__sim/stats')) as { total: number; byEndpoint: Record<string, number> };
      return st.total - Object.entries(st.byEndpoint).reduce((n, [k, v]) => n + (k.includes('chainreport') ? v : 0), 0);
    };

    test("each change of score is kept once, with its time on Torn's clock, and sent as a war_score event", async () => {
      await f.sync(1001);
      const kept: { at: number; ours: number; theirs: number }[] = [];
      const first = (await f.api('/api/war', { token })).body.scoreHistory;
      assert.equal(first.length, 1, 'the first read of a running war is its first point');
      kept.push(first[0]);
      assert.deepEqual({ ours: first[0].ours, theirs: first[0].theirs }, await torn());
      await newEvents();
      for (let i = 0; i < 6; i++) {
        await f.simControl('/__sim/clock', { advance: 10 * 60 });
        assert.equal(await f.server.ctx.sync.syncClock(1001), true);
        const requestsBefore = await requestsButReports();
        await f.sync(1001);
        const requests = (await requestsButReports()) - requestsBefore;
        const now = await tornNow();
        const scores = await torn();
        const events = (await newEvents()).filter((e) => e.event === 'war_score');
        assert.equal(events.length, 1, `one war_score event for the change at step ${i}`);
        assert.deepEqual(events[0].data, { warId: 5001, at: events[0].data.at, ...scores });
        assert.ok(Math.abs(events[0].data.at - now) <= 2, `dated on Torn's clock: ${events[0].data.at} vs ${now}`);
        kept.push({ at: events[0].data.at, ...scores });
        // A forced sync reads the war, the enemy and our own side (and Torn's chain report, for the
        // real hits, which is not counted here): nothing more for the history.
        assert.ok(requests <= 3, `${requests} Torn requests for one sync`);
      }
      // Nothing changed: nothing kept, nothing sent.
      await f.sync(1001);
      assert.equal((await newEvents()).filter((e) => e.event === 'war_score').length, 0);
      const snap = (await f.api('/api/war', { token })).body;
      assert.deepEqual(snap.scoreHistory, kept);
      assert.deepEqual(
        { ours: snap.war.scores['1001'], theirs: snap.war.scores['1002'] },
        { ours: kept.at(-1)!.ours, theirs: kept.at(-1)!.theirs },
      );
    });

    test("the war report carries the history and each side's pace, as the clients compute it", async () => {
      const r = await f.api('/api/wars/5001/report', { token });
      assert.equal(r.status, 200);
      const snap = (await f.api('/api/war', { token })).body;
      assert.deepEqual(r.body.scoreHistory, snap.scoreHistory);
      assert.equal(r.body.target, snap.war.target);
      assert.deepEqual(r.body.pace, paceOf(snap.scoreHistory, r.body.generatedAt, snap.war.target));
      // Scores grew over the last hour in the simulator: both sides have a pace, and the lead is the difference.
      assert.ok(r.body.pace.ours.perHour60 > 0 && r.body.pace.theirs.perHour60 > 0, JSON.stringify(r.body.pace));
      const last = snap.scoreHistory.at(-1);
      assert.equal(r.body.pace.lead, last.ours - last.theirs);
    });

    test('the history goes with its war', async () => {
      const count = async () =>
        (await f.db.query<{ n: number }>('select count(*)::int as n from war_scores where war_id = 5001')).rows[0].n;
      assert.ok((await count()) >= 7);
      await f.db.transaction(async (tx) => {
        for (const t of ['calls', 'target_marks', 'hospital_exits', 'targets']) await tx.query(`delete from ${t} where war_id = 5001`);
        await tx.query('delete from wars where id = 5001');
      });
      assert.equal(await count(), 0);
    });
  });
}
