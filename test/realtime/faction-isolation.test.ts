import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { backends } from '../helpers/databases.js';
import type { WarFixture } from '../helpers/war-fixture.js';
import { startWarRead } from '../helpers/war-read.js';
import { SseClient, WsClient, type StreamEvent } from '../helpers/stream-clients.js';
import { headSeq } from '../../src/realtime/event-log.js';
import { makeChanges, sleep, snapshotSeq } from '../helpers/calls.js';

/** Is this event one of faction 1001's (its members call, its targets are 1002's members)? */
const isOurs = (e: StreamEvent) =>
  (e.data.callerId >= 2001 && e.data.callerId <= 2025) || (e.data.targetId >= 3001 && e.data.targetId <= 3025);

for (const backend of await backends()) {
  describe(`faction isolation on ${backend.name}`, () => {
    let f: WarFixture;
    let ours: string;
    let theirs: string;

    before(async () => {
      ({
        f,
        tokens: [ours, theirs],
      } = await startWarRead(backend, { members: [2001, 3001] }));
      await f.sync(1002);
      // 1001's log runs well ahead of 1002's, so 1001's ids are past 1002's head
      await makeChanges(f, ours, 30);
      assert.ok((await headSeq(f.db, 1001)) > (await headSeq(f.db, 1002)) + 20);
    });
    after(() => f.close());

    test("a rival's live SSE, WebSocket and long-poll never carry our calls, while ours do", async () => {
      const theirSeq = await snapshotSeq(f, theirs);
      const sse = await SseClient.connect(f.server.url, { token: theirs, lastEventId: theirSeq });
      const ws = await WsClient.connect(f.server.url, { token: theirs, lastEventId: theirSeq });
      const poll = f.api(`/api/events?since=${theirSeq}&wait=1`, { token: theirs });
      const ourSse = await SseClient.connect(f.server.url, { token: ours });
      const end = await makeChanges(f, ours, 4);
      await ourSse.until((e) => e.at(-1)?.id === end);
      const polled = (await poll).body;
      await sleep(300);
      assert.deepEqual(sse.events, []);
      assert.deepEqual(ws.events, []);
      assert.deepEqual(polled, { events: [], seq: theirSeq });
      sse.close();
      ws.close();
      ourSse.close();
    });

    test("resuming from our ids (past the rival's head) gets the rival a reset at its own head, never our events", async () => {
      const ourHead = await headSeq(f.db, 1001);
      const theirHead = await headSeq(f.db, 1002);
      for (const from of [ourHead, ourHead - 5]) {
        const sse = await SseClient.connect(f.server.url, { token: theirs, lastEventId: from });
        const ws = await WsClient.connect(f.server.url, { token: theirs, lastEventId: from });
        const polled = (await f.api(`/api/events?since=${from}&wait=1`, { token: theirs })).body;
        await sse.untilCount(1);
        await ws.untilCount(1);
        await sleep(200);
        for (const events of [sse.events, ws.events, polled.events]) {
          assert.deepEqual(
            events.map((e: StreamEvent) => [e.id, e.event]),
            [[theirHead, 'reset']],
          );
        }
        sse.close();
        ws.close();
      }
    });

    test("resuming from an id both logs hold replays only the rival's own events", async () => {
      const theirHead = await headSeq(f.db, 1002);
      const sse = await SseClient.connect(f.server.url, { token: theirs, lastEventId: 0 });
      const polled = (await f.api(`/api/events?since=0&wait=1`, { token: theirs })).body;
      await sse.until((e) => e.at(-1)?.id === theirHead);
      assert.equal(polled.events.length, theirHead);
      for (const e of [...sse.events, ...polled.events]) assert.ok(!isOurs(e), `leaked ${JSON.stringify(e)}`);
      // 1002's own log is its war sync: the statuses of 1001's members, its targets
      assert.ok(sse.events.some((e) => e.event === 'target_status' && e.data.targetId === 2001));
      sse.close();
    });

    test('a rival cannot release, take or see our calls; calling one of our members (their target) is fine and stays theirs', async () => {
      const r = await f.api('/api/calls', { token: ours, body: { ops: [{ op: 'call', targetId: 3002 }] } });
      assert.equal(r.body.results[0].ok, true);
      const ourSeq = await snapshotSeq(f, ours);
      const ourSse = await SseClient.connect(f.server.url, { token: ours, lastEventId: ourSeq });
      const theirSeq = await snapshotSeq(f, theirs);
      const theirSse = await SseClient.connect(f.server.url, { token: theirs, lastEventId: theirSeq });

      const attempt = await f.api('/api/calls', {
        token: theirs,
        body: {
          ops: [
            { op: 'release', targetId: 3002 },
            { op: 'call', targetId: 3002 },
          ],
        },
      });
      assert.deepEqual(
        attempt.body.results.map((x: any) => x.error?.code),
        ['not_a_target', 'not_a_target'],
      );
      const ws = await WsClient.connect(f.server.url, { token: theirs });
      assert.equal((await ws.command({ type: 'release', targetId: 3002 })).error.code, 'not_a_target');
      const theirSnap = (await f.api('/api/war', { token: theirs })).body;
      assert.ok(!theirSnap.calls.some((c: any) => c.targetId === 3002 || c.callerId === 2001));

      // their own call on one of our members: their event, not ours
      const mine = await f.api('/api/calls', { token: theirs, body: { ops: [{ op: 'call', targetId: 2001 }] } });
      assert.equal(mine.body.results[0].ok, true);
      assert.equal(mine.body.seq, theirSeq + 1);
      await theirSse.until((e) => e.length === 1);
      assert.deepEqual([theirSse.events[0].data.targetId, theirSse.events[0].data.callerId], [2001, 3001]);

      await sleep(300);
      assert.deepEqual(ourSse.events, [], 'nothing of theirs reaches us, and our call did not change');
      const ourSnap = (await f.api('/api/war', { token: ours })).body;
      assert.deepEqual(
        ourSnap.calls.map((c: any) => [c.targetId, c.callerId]),
        [[3002, 2001]],
      );
      assert.equal(ourSnap.seq, ourSeq);
      ws.close();
      ourSse.close();
      theirSse.close();
    });
  });
}
