// Calls that wait for their target's hospital exit: claimed while the target is in hospital, their
// TTL starts when the simulator discharges it, the expiry sweep leaves them alone until then, and a
// hit still ends them. Also: assist requests leave the snapshot at their expiry and housekeeping deletes them.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { backends } from '../helpers/databases.js';
import { startWarFixture, type WarFixture } from '../helpers/war-fixture.js';
import { SseClient } from '../helpers/stream-clients.js';
import { sleep } from '../helpers/calls.js';
import { headSeq, readEvents } from '../../src/realtime/event-log.js';

const TTL_S = 2;
const ASSIST_TTL_S = 1;

for (const backend of await backends()) {
  describe(`calls that wait for the exit on ${backend.name}`, () => {
    let f: WarFixture;
    const t = new Map<number, string>();
    const token = (id: number) => t.get(id)!;
    const ops = (id: number, list: unknown[]) => f.api('/api/calls', { token: token(id), body: { ops: list } });
    const call = async (id: number, targetId: number) => (await ops(id, [{ op: 'call', targetId }])).body.results[0];
    const snapshot = async (id = 2001) => (await f.api('/api/war', { token: token(id) })).body;
    const simNow = async (): Promise<number> => (await f.simControl('/__sim/clock', { advance: 0 })).now;
    const setStatus = (id: number, body: Record<string, unknown>) => f.simControl(`/__sim/players/${id}/status`, body);
    const hospitalize = async (id: number, forS = 3600) => {
      const until = (await simNow()) + forS;
      await setStatus(id, { state: 'Hospital', until, description: 'In hospital for a while' });
      return until;
    };

    before(async () => {
      f = await startWarFixture(backend, { env: { CALL_TTL_MS: String(TTL_S * 1000), ASSIST_TTL_MS: String(ASSIST_TTL_S * 1000) } });
      for (const id of [2001, 2002, 2003]) t.set(id, await f.signIn(id));
      assert.equal(await f.server.ctx.sync.syncClock(1001), true);
      for (const id of [3015, 3016, 3017, 3018]) await setStatus(id, { state: 'Okay' });
      await f.sync(1001);
    });
    after(() => f.close());

    test('calling a target in hospital claims it for its exit: waitingForExit, and expiresAt = until + TTL', async () => {
      const until = await hospitalize(3015);
      await f.sync(1001);
      const c = await call(2001, 3015);
      assert.equal(c.ok, true);
      assert.equal(c.call.waitingForExit, true);
      assert.equal(c.call.expiresAt, until + TTL_S, 'the estimate: the exit plus the TTL');
      const plain = await call(2002, 3016);
      assert.equal(plain.call.waitingForExit, false);
      assert.equal(plain.call.expiresAt - plain.call.at, TTL_S);
      const snap = await snapshot();
      assert.deepEqual(
        snap.calls.map((x: any) => [x.targetId, x.waitingForExit]),
        [
          [3015, true],
          [3016, false],
        ],
      );
      const logged = (await readEvents(f.db, 1001, 0, 1000)).filter((e) => e.event === 'target_call' && e.data.targetId === 3015);
      assert.equal(logged.at(-1)!.data.waitingForExit, true);
    });

    test('the expiry sweep ends the plain call after its TTL and leaves the waiting one alone', async () => {
      await sleep(TTL_S * 1000 + 1100);
      // The server's own sweep may have run already: either way, after this one it has.
      await f.server.housekeeping.expireNow();
      const expired = (await readEvents(f.db, 1001, 0, 1000)).filter((e) => e.event === 'target_call' && e.data.state === 'expired');
      assert.deepEqual(
        expired.map((e) => e.data.targetId),
        [3016],
      );
      const snap = await snapshot();
      assert.deepEqual(
        snap.calls.map((x: any) => [x.targetId, x.state, x.waitingForExit]),
        [[3015, 'called', true]],
      );
    });

    test("the target's exit starts the TTL: a target_call event, still called, with the real expiresAt; then it expires", async () => {
      const seq = await headSeq(f.db, 1001);
      const sse = await SseClient.connect(f.server.url, { token: token(2002), lastEventId: seq });
      const before = (await snapshot()).serverTime;
      await setStatus(3015, { state: 'Okay' });
      await f.sync(1001);
      const after = (await snapshot()).serverTime;
      const events = await sse.until((e) => e.some((x) => x.event === 'target_call' && x.data.targetId === 3015));
      const mine = events.filter((e) => e.data.targetId === 3015);
      assert.deepEqual(
        mine.map((e) => [e.event, e.data.state]),
        [
          ['target_status', 'Okay'],
          ['target_call', 'called'],
        ],
      );
      const started = mine[1].data;
      assert.equal(started.waitingForExit, false);
      assert.equal(started.callerId, 2001);
      assert.ok(started.expiresAt >= before + TTL_S && started.expiresAt <= after + TTL_S + 1, `expiresAt ${started.expiresAt}`);
      const snap = await snapshot();
      const { warId: _warId, ...view } = started;
      assert.deepEqual(snap.calls[0], view, 'the snapshot holds the call as the event says');
      // A second sync of the same status starts nothing again.
      const head = await headSeq(f.db, 1001);
      await f.sync(1001);
      assert.ok(!(await readEvents(f.db, 1001, head, 100)).some((e) => e.event === 'target_call'), 'an exit starts a call once');
      await sleep(TTL_S * 1000 + 1100);
      await f.server.housekeeping.expireNow();
      assert.deepEqual((await snapshot()).calls, []);
      const ended = (await readEvents(f.db, 1001, head, 100)).filter((e) => e.event === 'target_call');
      assert.deepEqual(
        ended.map((e) => [e.data.targetId, e.data.state]),
        [[3015, 'expired']],
      );
      sse.close();
    });

    test('a waiting call whose target is hit again after its exit ends as hit', async () => {
      await hospitalize(3017);
      await f.sync(1001);
      assert.equal((await call(2003, 3017)).call.waitingForExit, true);
      await setStatus(3017, { state: 'Okay' });
      await f.sync(1001);
      assert.equal((await snapshot()).calls.find((c: any) => c.targetId === 3017).waitingForExit, false);
      const seq = await headSeq(f.db, 1001);
      await hospitalize(3017, 1800);
      await f.sync(1001);
      const logged = (await readEvents(f.db, 1001, seq, 100)).filter((e) => e.data.targetId === 3017);
      assert.deepEqual(
        logged.map((e) => [e.event, e.data.state]),
        [
          ['target_status', 'Hospital'],
          ['target_call', 'hit'],
        ],
      );
      assert.ok(!(await snapshot()).calls.some((c: any) => c.targetId === 3017));
    });

    test('a waiting call can be released by its caller like any other', async () => {
      await hospitalize(3018);
      await f.sync(1001);
      assert.equal((await call(2001, 3018)).call.waitingForExit, true);
      const r = await ops(2001, [{ op: 'release', targetId: 3018 }]);
      assert.deepEqual([r.body.results[0].call.state, r.body.results[0].call.waitingForExit], ['released', true]);
    });

    test('an assist request leaves the snapshot at its expiry, and housekeeping deletes it once', async () => {
      const raised = (await ops(2002, [{ op: 'assist', targetId: 3016 }])).body.results[0].assist;
      assert.equal(raised.expiresAt - raised.at, ASSIST_TTL_S);
      assert.deepEqual((await snapshot()).assists, [raised]);
      await sleep(ASSIST_TTL_S * 1000 + 1100);
      assert.deepEqual((await snapshot()).assists, []);
      assert.equal(await f.server.housekeeping.deleteExpiredAssistsNow(), 1);
      assert.equal(await f.server.housekeeping.deleteExpiredAssistsNow(), 0);
      const again = (await ops(2002, [{ op: 'assist', targetId: 3016 }])).body.results[0];
      assert.equal(again.ok, true, 'asking again after the expiry is a new request');
      assert.equal((await snapshot()).assists.length, 1);
    });
  });
}
