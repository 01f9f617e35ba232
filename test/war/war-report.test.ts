// GET /wars/{id}/report on a war scripted through the simulator: each member's calls and how they
// ended, the median time from a target's hospital exit to its next hit, during the war and after,
// for the member's own faction only.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { backends } from '../helpers/databases.js';
import { startWarFixture, type WarFixture } from '../helpers/war-fixture.js';
import { sleep } from '../helpers/calls.js';

const TTL_S = 4;

for (const backend of await backends()) {
  describe(`war report on ${backend.name}`, () => {
    let f: WarFixture;
    const t = new Map<number, string>();
    const token = (id: number) => t.get(id)!;
    const ops = (id: number, list: unknown[]) => f.api('/api/calls', { token: token(id), body: { ops: list } });
    const call = async (id: number, targetId: number) => {
      const r = (await ops(id, [{ op: 'call', targetId }])).body.results[0];
      assert.equal(r.ok, true, JSON.stringify(r));
      return r.call;
    };
    const simNow = async (): Promise<number> => (await f.simControl('/__sim/clock', { advance: 0 })).now;
    const setStatus = (id: number, body: Record<string, unknown>) => f.simControl(`/__sim/players/${id}/status`, body);
    const hospitalize = async (id: number) => setStatus(id, { state: 'Hospital', until: (await simNow()) + 3600 });
    const report = async (id: number, warId: number | string = 5001, path = '/wars') =>
      f.api(`${path}/${warId}/report`, { token: token(id) });
    /** Seconds between an exit and a hit, as bounds measured around the syncs that saw them. */
    const gaps: { low: number; high: number }[] = [];

    /** The target leaves hospital, `waitMs` pass, `caller`'s call on it ends hit; returns the bounds of the gap. */
    async function exitThenHit(targetId: number, caller: number, waitMs: number, callBeforeExit: boolean) {
      if (callBeforeExit) assert.equal((await call(caller, targetId)).waitingForExit, true);
      const t0 = Date.now();
      await setStatus(targetId, { state: 'Okay' });
      await f.sync(1001);
      const t1 = Date.now();
      if (!callBeforeExit) await call(caller, targetId);
      await sleep(waitMs);
      const t2 = Date.now();
      await hospitalize(targetId);
      await f.sync(1001);
      const t3 = Date.now();
      return { low: (t2 - t1) / 1000, high: (t3 - t0) / 1000 };
    }

    before(async () => {
      f = await startWarFixture(backend, { env: { CALL_TTL_MS: String(TTL_S * 1000) } });
      for (const id of [2001, 2002, 2003, 2004, 3001]) t.set(id, await f.signIn(id));
      assert.equal(await f.server.ctx.sync.syncClock(1001), true);
      for (const id of [3001, 3003, 3004, 3005]) await setStatus(id, { state: 'Okay' });
      await hospitalize(3002);
      await f.sync(1001);

      // 2001: a hit with no exit seen before it (not timed), then a hit 1 s after the target's exit.
      await call(2001, 3001);
      await hospitalize(3001);
      await f.sync(1001);
      gaps.push(await exitThenHit(3001, 2001, 1000, false));
      // 2002: a call waiting for 3002's exit, hit 2 s after it; and a released call.
      gaps.push(await exitThenHit(3002, 2002, 2000, true));
      await call(2002, 3003);
      await ops(2002, [{ op: 'release', targetId: 3003 }]);
      // 2003: a call left to expire, and one still open.
      await call(2003, 3004);
      await sleep(TTL_S * 1000 + 1100);
      await f.server.housekeeping.expireNow();
      await call(2003, 3005);
      // 2004 makes no call.
    });
    after(() => f.close());

    const near = (value: number | null, gap: { low: number; high: number }) =>
      assert.ok(
        value !== null && value >= Math.floor(gap.low) && value <= Math.ceil(gap.high),
        `${value} s not in [${gap.low}, ${gap.high}]`,
      );

    test('during the war: calls per member and how they ended, with the median exit-to-hit time', async () => {
      const r = await report(2004);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      const rep = r.body;
      assert.equal(rep.warId, 5001);
      assert.equal(rep.factionId, 1001);
      assert.deepEqual(rep.enemy, { id: 1002, name: 'Demo Rivals' });
      assert.equal(rep.end, null);
      assert.equal(typeof rep.start, 'number');
      assert.ok(Math.abs(rep.generatedAt - (await simNow())) <= 2, "generatedAt is on Torn's clock");
      const by = new Map(rep.members.map((m: any) => [m.id, m]));
      const counts = (id: number) => {
        const m: any = by.get(id);
        assert.equal(m.hit, m.targetHospitalized, 'hit is the old name of targetHospitalized');
        assert.equal(m.torn, null, 'no report from Torn read: the sync reads none in this war');
        return [m.calls, m.targetHospitalized, m.expired, m.released, m.open];
      };
      assert.deepEqual(counts(2001), [2, 2, 0, 0, 0]);
      assert.deepEqual(counts(2002), [2, 1, 0, 1, 0]);
      assert.deepEqual(counts(2003), [2, 0, 1, 0, 1]);
      assert.deepEqual(counts(2004), [0, 0, 0, 0, 0], 'a member who made no call is in the report with zeros');
      near((by.get(2001) as any).medianExitToHitS, gaps[0]);
      near((by.get(2002) as any).medianExitToHitS, gaps[1]);
      assert.equal((by.get(2003) as any).medianExitToHitS, null, 'no hit, no time');
      assert.ok(!by.has(3001), "the enemy's members are not ours");
      assert.deepEqual([rep.totals.calls, rep.totals.hit, rep.totals.expired, rep.totals.released, rep.totals.open], [6, 3, 1, 1, 1]);
      // The faction's median is over both timed hits: their mean, between the two gaps' bounds.
      near(rep.totals.medianExitToHitS, { low: (gaps[0].low + gaps[1].low) / 2, high: (gaps[0].high + gaps[1].high) / 2 });
      assert.deepEqual(
        rep.members.slice(0, 3).map((m: any) => m.calls),
        [2, 2, 2],
        'busiest callers first',
      );
      const same = await report(2001, 5001, '/api/wars');
      assert.equal(same.status, 200);
      assert.deepEqual({ ...same.body, generatedAt: 0 }, { ...rep, generatedAt: 0 }, '/api/wars/{id}/report is the same report');
    });

    test('the report needs a session, and a war id that is an id', async () => {
      for (const path of ['/wars/5001/report', '/api/wars/5001/report']) {
        const r = await f.api(path);
        assert.equal(r.status, 401, path);
        assert.equal(r.body.error.code, 'unauthorized');
      }
      for (const bad of ['abc', '0', '-1', '99999999999', '5001.5']) {
        const r = await report(2001, bad);
        assert.equal(r.status, 400, bad);
        assert.equal(r.body.error.code, 'invalid_request');
        assert.match(r.body.error.message, /war id/);
      }
      const unknown = await report(2001, 4242);
      assert.equal(unknown.status, 404);
      assert.equal(unknown.body.error.code, 'not_found');
      assert.match(unknown.body.error.message, /no war 4242/);
    });

    test("the enemy's members see their own faction's report of the same war, never ours", async () => {
      await f.sync(1002);
      const theirs = await report(3001);
      assert.equal(theirs.status, 200);
      assert.equal(theirs.body.factionId, 1002);
      assert.deepEqual(theirs.body.enemy.id, 1001);
      assert.deepEqual(
        theirs.body.members.map((m: any) => [m.id, m.calls]),
        [[3001, 0]],
      );
    });

    // Ends the war: runs last.
    test("after the war's end the report stands, its open calls closed; another faction's war is 404", async () => {
      await f.simControl('/__sim/wars/5001/end', {});
      await f.sync(1001);
      const rep = (await report(2002)).body;
      assert.equal(typeof rep.end, 'number');
      const m2003 = rep.members.find((m: any) => m.id === 2003);
      assert.deepEqual([m2003.calls, m2003.expired, m2003.released, m2003.open], [2, 1, 1, 0], "the war's end released the open call");
      assert.equal(rep.totals.hit, 3);
      // A war only the enemy's faction has in TornCat: not ours to read, and not said to exist.
      await f.simControl('/__sim/wars/5002/start', {});
      await f.sync(1002);
      assert.equal((await report(3001, 5002)).status, 200);
      const ours = await report(2001, 5002);
      assert.equal(ours.status, 404);
      assert.equal(ours.body.error.code, 'not_found');
    });
  });
}
