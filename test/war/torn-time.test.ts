// serverTime, call times and event times on Torn's clock: the simulator's clock is pushed an hour
// ahead of this machine's, and the board must follow Torn's, not ours.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { backends } from '../helpers/databases.js';
import { startWarFixture, type WarFixture } from '../helpers/war-fixture.js';

const HOUR = 3600;
const TTL_S = 2;

for (const backend of await backends()) {
  describe(`Torn's clock on ${backend.name}`, () => {
    let f: WarFixture;
    let token: string;
    const simNow = async (): Promise<number> => (await f.simControl('/__sim/clock', { advance: 0 })).now;
    const snapshot = async () => (await f.api('/api/war', { token })).body;

    before(async () => {
      f = await startWarFixture(backend, { env: { CALL_TTL_MS: String(TTL_S * 1000) } });
      token = await f.signIn(2001);
      // Each file is one process, but its back-ends share the process's clock: start from this simulator.
      assert.equal(await f.server.ctx.sync.syncClock(1001), true);
      await f.sync(1001);
    });
    after(() => f.close());

    test('with both clocks in step, serverTime is the time here', async () => {
      const snap = await snapshot();
      assert.ok(Math.abs(snap.serverTime - Date.now() / 1000) <= 2, `serverTime ${snap.serverTime}`);
    });

    test("after /__sim/clock moves Torn an hour ahead, serverTime follows once the node asks Torn's time", async () => {
      const stale = (await snapshot()).serverTime;
      await f.simControl('/__sim/clock', { advance: HOUR });
      assert.ok(Math.abs((await snapshot()).serverTime - stale) <= 2, 'nothing moves before Torn is asked');
      assert.equal(await f.server.ctx.sync.syncClock(1001), true);
      const snap = await snapshot();
      const torn = await simNow();
      assert.ok(Math.abs(snap.serverTime - torn) <= 2, `serverTime ${snap.serverTime}, Torn ${torn}`);
      const offsetMs = f.server.ctx.clock.offsetMs;
      assert.ok(Math.abs(offsetMs - HOUR * 1000) <= 2000, `offset ${offsetMs} ms`);
      assert.equal((await f.simControl('/__sim/stats')).byEndpoint['/v2/torn/timestamp'], 2, 'one request each time');
    });

    test('a countdown from Torn and serverTime agree: until - serverTime is the stay Torn set', async () => {
      const torn = await simNow();
      await f.simControl('/__sim/players/3001/status', { state: 'Hospital', until: torn + 600 });
      await f.sync(1001);
      const snap = await snapshot();
      const target = snap.targets.find((t: { id: number }) => t.id === 3001);
      const left = target.status.until - snap.serverTime;
      assert.ok(Math.abs(left - 600) <= 2, `${left} s left of a 600 s stay`);
    });

    test("a call's times and its event are on Torn's clock, and it still expires after CALL_TTL_MS", async () => {
      const before = await snapshot();
      // Taken before the call is made: under load the answer can come back well after the call's stamp.
      const sentAt = Date.now();
      const r = await f.api('/api/calls', { token, body: { ops: [{ op: 'call', targetId: 3002 }] } });
      const call = r.body.results[0].call;
      assert.ok(Math.abs(call.at - before.serverTime) <= 2, `at ${call.at}, serverTime ${before.serverTime}`);
      assert.equal(call.expiresAt - call.at, TTL_S, 'the TTL is unchanged by the shift');
      const logged = (await f.api(`/api/events?since=${before.seq}&wait=0`, { token })).body.events;
      const made = logged.find((e: { event: string }) => e.event === 'target_call');
      assert.equal(made.data.at, call.at, 'the event carries the same Torn time');

      // Expiry runs on the database's clock: an hour of offset neither delays nor hastens it.
      const madeAt = Date.now();
      let expired: { data: { state: string; at: number } } | undefined;
      while (!expired && Date.now() - madeAt < 10_000) {
        await f.server.housekeeping.expireNow();
        const events = (await f.api(`/api/events?since=${made.id}&wait=1`, { token })).body.events;
        expired = events.find((e: { event: string; data: { state: string } }) => e.event === 'target_call' && e.data.state === 'expired');
      }
      assert.ok(expired, 'the call expired');
      const tookMs = Date.now() - sentAt;
      assert.ok(tookMs >= TTL_S * 1000 - 100 && tookMs < TTL_S * 1000 + 3000, `expired after ${tookMs} ms`);
      const after = await snapshot();
      assert.ok(Math.abs(expired.data.at - after.serverTime) <= 2, `ended at ${expired.data.at}, serverTime ${after.serverTime}`);
    });
  });
}
