// Torn's own count of who hit, beside TornCat's calls: the chain report read while the war runs
// (at most once a minute, never outside the war) and the ranked war report read once after it.
// A called target that goes into hospital at someone else's hand is "target hospitalized" for the
// caller, never a hit of theirs.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { backends } from '../helpers/databases.js';
import { startWarFixture, type WarFixture } from '../helpers/war-fixture.js';

for (const backend of await backends()) {
  describe(`real hits from Torn's reports on ${backend.name}`, () => {
    let f: WarFixture;
    const tokens = new Map<number, string>();
    /** Requests the simulator counted for Torn's reports, by endpoint. */
    const reportRequests = async () => {
      const s = await f.simControl('/__sim/stats');
      return Object.entries(s.byEndpoint as Record<string, number>)
        .filter(([e]) => /report$/.test(e))
        .reduce<Record<string, number>>((o, [e, n]) => ({ ...o, [e]: n }), {});
    };
    /** A run of the faction's due jobs, as the background poller makes it (not forced). */
    const poll = () => f.server.ctx.sync.syncFaction(1001, false);
    const report = async () => (await f.api('/api/wars/5001/report', { token: tokens.get(2001) })).body;
    const member = (r: any, id: number) => r.members.find((m: any) => m.id === id);

    before(async () => {
      f = await startWarFixture(backend);
      for (const id of [2001, 2002, 2003, 2004]) tokens.set(id, await f.signIn(id));
      for (const id of [3001, 3002, 3003]) await f.simControl(`/__sim/players/${id}/status`, { state: 'Okay' });
      await f.sync(1001);
      // Each of 2001, 2002, 2003 calls a target.
      for (const [caller, targetId] of [
        [2001, 3001],
        [2002, 3002],
        [2003, 3003],
      ]) {
        const r = await f.api('/api/calls', { token: tokens.get(caller), body: { ops: [{ op: 'call', targetId }] } });
        assert.equal(r.body.results[0].ok, true, JSON.stringify(r.body));
      }
      // 2001 hits his own target; 3002 goes into hospital at someone else's hand; 2004 (no call) hits 2003's target.
      await f.simControl('/__sim/attacks', { attacker: 2001, defender: 3001 });
      await f.simControl('/__sim/players/3002/status', { state: 'Hospital', details: 'Hospitalized by Stranger' });
      await f.simControl('/__sim/attacks', { attacker: 2004, defender: 3003, result: 'Mugged' });
      await f.sync(1001);
    });
    after(() => f.close());

    test("during the war: each call's target went into hospital, and Torn's chain report says who hit", async () => {
      const r = await report();
      assert.equal(r.torn.source, 'chain_reports');
      assert.equal(typeof r.torn.readAt, 'number');
      const row = (id: number) => {
        const m = member(r, id);
        return [m.calls, m.targetHospitalized, m.torn?.warHits ?? null];
      };
      assert.deepEqual(row(2001), [1, 1, 1], '2001 called 3001 and hit it');
      assert.deepEqual(row(2002), [1, 1, 0], "2002's target went into hospital, and Torn says 2002 hit nobody");
      assert.deepEqual(row(2003), [1, 1, 0], "2003's target was hit, by 2004");
      assert.deepEqual(row(2004), [0, 0, 1], '2004 hit without a call');
      assert.equal(member(r, 2001).torn.hospitalized, 1);
      assert.equal(member(r, 2004).torn.hospitalized, 0, 'a mug is not a hospitalize');
      assert.ok(member(r, 2001).torn.respect > 0);
      assert.equal(member(r, 2001).torn.warScore, null, 'no war score before the war is over');
      assert.deepEqual([r.totals.targetHospitalized, r.totals.torn.warHits], [3, 2]);
    });

    test('the chain report is read at most once a minute, whatever the number of runs', async () => {
      const before = await reportRequests();
      await f.simControl('/__sim/attacks', { attacker: 2002, defender: 3002, result: 'Attacked' });
      for (let i = 0; i < 4; i++) await poll();
      const after = await reportRequests();
      const read = (after['/v2/faction/chainreport'] ?? 0) - (before['/v2/faction/chainreport'] ?? 0);
      assert.ok(read <= 1, `at most one read in the minute, got ${read}`);
      // Whether that one read fell in this minute or the last, the forced sync now brings 2002's hit in.
      await f.sync(1001);
      assert.equal(member(await report(), 2002).torn.warHits, 1);
    });

    test('a chain that broke gives way to a new one: its final numbers are read once by its id, and both count', async () => {
      const first = (await f.simControl('/__sim/state')).now;
      await f.simControl('/__sim/clock', { advance: 301 });
      await f.simControl('/__sim/attacks', { attacker: 2003, defender: 3004 });
      const before = await reportRequests();
      await f.sync(1001);
      const after = await reportRequests();
      const byId = Object.entries(after).filter(([e]) => /^\/v2\/faction\/\d+\/chainreport$/.test(e));
      assert.equal(byId.length, 1, `the broken chain read by its id (${JSON.stringify(after)}), started ${first}`);
      assert.equal(byId[0][1] - (before[byId[0][0]] ?? 0), 1);
      const r = await report();
      assert.deepEqual(
        [2001, 2002, 2003, 2004].map((id) => member(r, id).torn.warHits),
        [1, 1, 1, 1],
        'hits of both chains of the war',
      );
      await f.sync(1001);
      const again = await reportRequests();
      assert.equal(again[byId[0][0]], after[byId[0][0]], 'a chain known to be over is not read again');
    });

    // Ends the war: runs last.
    test("after the war: Torn's ranked war report is read once and gives each member's war hits and score; no chain report any more", async () => {
      await f.simControl('/__sim/wars/5001/end', {});
      await f.sync(1001);
      const r = await report();
      assert.equal(typeof r.end, 'number');
      assert.equal(r.torn.source, 'ranked_war_report');
      for (const id of [2001, 2002, 2003, 2004]) {
        assert.equal(member(r, id).torn.warHits, 1, `member ${id}`);
        assert.ok(member(r, id).torn.warScore > 0, `member ${id} scored`);
      }
      assert.equal(member(r, 2005)?.torn?.warHits ?? 0, 0);
      const once = await reportRequests();
      assert.equal(once['/v2/faction/5001/rankedwarreport'], 1);
      for (let i = 0; i < 3; i++) {
        await f.sync(1001);
        await poll();
      }
      const later = await reportRequests();
      assert.equal(later['/v2/faction/5001/rankedwarreport'], 1, 'read once');
      assert.equal(later['/v2/faction/chainreport'], once['/v2/faction/chainreport'], 'no chain report outside a war');
    });
  });
}
