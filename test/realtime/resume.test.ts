import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { backends } from '../helpers/databases.js';
import type { WarFixture } from '../helpers/war-fixture.js';
import { startWarRead } from '../helpers/war-read.js';
import { SseClient, WsClient } from '../helpers/stream-clients.js';
import { assertContiguous, makeChanges, sleep, snapshotSeq } from '../helpers/calls.js';
import { pruneEvents, headSeq } from '../../src/realtime/event-log.js';

for (const backend of await backends()) {
  describe(`resuming streams on ${backend.name}`, () => {
    let f: WarFixture;
    let member: string;
    let warId: number;

    before(async () => {
      ({ f, token: member } = await startWarRead(backend));
      warId = (await f.api('/api/war', { token: member })).body.war.id;
    });
    after(() => f.close());

    test('an SSE client that reconnects with Last-Event-ID gets exactly the 20 changes it missed, in order', async () => {
      const first = await SseClient.connect(f.server.url, { token: member, lastEventId: await snapshotSeq(f, member) });
      const last = await makeChanges(f, member, 2);
      await first.until((e) => e.at(-1)?.id === last);
      first.close();

      const end = await makeChanges(f, member, 20);
      assert.equal(end, last + 20);
      const again = await SseClient.connect(f.server.url, { token: member, lastEventId: last });
      await again.until((e) => e.at(-1)?.id === end);
      await sleep(300);
      assertContiguous(again.events, last, end);
      assert.ok(again.events.every((e) => e.event === 'target_call' && e.data.targetId === 3010));
      assert.deepEqual(
        again.events.map((e) => e.data.state),
        Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? 'called' : 'released')),
      );
      again.close();
    });

    test('?lastEventId= resumes an SSE stream as Last-Event-ID does (EventSource on a fresh page)', async () => {
      const last = await snapshotSeq(f, member);
      const end = await makeChanges(f, member, 4);
      const c = await SseClient.connect(f.server.url, { query: `?token=${member}&lastEventId=${last}` });
      assert.equal(c.status, 200);
      await c.until((e) => e.at(-1)?.id === end);
      assertContiguous(c.events, last, end);
      c.close();
    });

    test('a WebSocket client that reconnects with ?lastEventId= gets exactly the 20 changes it missed, in order', async () => {
      const last = await snapshotSeq(f, member);
      const end = await makeChanges(f, member, 20);
      const ws = await WsClient.connect(f.server.url, { token: member, lastEventId: last });
      await ws.until(() => ws.events.at(-1)?.id === end);
      await sleep(300);
      assertContiguous(ws.events, last, end);
      ws.close();
    });

    test('a WebSocket resume command replays from the given id', async () => {
      const ws = await WsClient.connect(f.server.url, { token: member });
      const last = await snapshotSeq(f, member);
      const end = await makeChanges(f, member, 6);
      await ws.until(() => ws.events.at(-1)?.id === end);
      assertContiguous(ws.events, last, end);
      const replayFrom = end - 3;
      const r = await ws.command({ type: 'resume', lastEventId: replayFrom });
      assert.equal(r.ok, true);
      await ws.until(() => ws.events.length === 9);
      await sleep(200);
      assertContiguous(ws.events.slice(6), replayFrom, end);
      ws.close();
    });

    test('long-poll from a seq answers exactly the 20 changes after it, and nothing when asked again from the last', async () => {
      const last = await snapshotSeq(f, member);
      const end = await makeChanges(f, member, 20);
      const r = await f.api(`/api/events?since=${last}&wait=5`, { token: member });
      assert.equal(r.status, 200);
      assertContiguous(r.body.events, last, end);
      assert.equal(r.body.seq, end);
      const t0 = Date.now();
      const empty = await f.api(`/api/events?since=${end}&wait=1`, { token: member });
      assert.deepEqual(empty.body, { events: [], seq: end });
      assert.ok(Date.now() - t0 >= 900, 'an empty long-poll holds for its wait');
    });

    test('a waiting long-poll answers as soon as a change is made', async () => {
      const last = await snapshotSeq(f, member);
      const t0 = Date.now();
      const poll = f.api(`/api/events?since=${last}&wait=20`, { token: member });
      await sleep(200);
      const end = await makeChanges(f, member, 1);
      const r = await poll;
      assert.ok(Date.now() - t0 < 5000, 'answered long before the wait');
      assertContiguous(r.body.events, last, end);
      await makeChanges(f, member, 1); // releases the call it left open
    });

    test('after a server restart, SSE, WebSocket and long-poll replay the 20 missed changes from the database', async () => {
      const last = await snapshotSeq(f, member);
      const end = await makeChanges(f, member, 20);
      await f.restart();
      const sse = await SseClient.connect(f.server.url, { token: member, lastEventId: last });
      const ws = await WsClient.connect(f.server.url, { token: member, lastEventId: last });
      const poll = await f.api(`/api/events?since=${last}&wait=5`, { token: member });
      await sse.until((e) => e.at(-1)?.id === end);
      await ws.until(() => ws.events.at(-1)?.id === end);
      await sleep(300);
      assertContiguous(sse.events, last, end);
      assertContiguous(ws.events, last, end);
      assertContiguous(poll.body.events, last, end);
      // and live delivery continues after the replay
      const next = await makeChanges(f, member, 1);
      await sse.until((e) => e.at(-1)?.id === next);
      await ws.until(() => ws.events.at(-1)?.id === next);
      assertContiguous(sse.events, last, next);
      assertContiguous(ws.events, last, next);
      sse.close();
      ws.close();
      await makeChanges(f, member, 1);
    });

    test('SSE answers with headers for proxies, no compression, retry first, and frames byte for byte', async () => {
      const last = await snapshotSeq(f, member);
      const c = await SseClient.connect(f.server.url, {
        token: member,
        lastEventId: last,
        headers: { 'accept-encoding': 'gzip, deflate, br' },
      });
      assert.equal(c.status, 200);
      assert.match(String(c.headers['content-type']), /^text\/event-stream/);
      assert.match(String(c.headers['cache-control']), /^no-cache/);
      assert.equal(c.headers['x-accel-buffering'], 'no');
      assert.equal(c.headers['content-encoding'], undefined);
      const r = await f.api('/api/calls', { token: member, body: { ops: [{ op: 'call', targetId: 3011 }] } });
      const call = r.body.results[0].call;
      await c.until((e) => e.length === 1);
      const frame = `id: ${last + 1}\nevent: target_call\ndata: ${JSON.stringify({ warId, ...call })}\n\n`;
      assert.equal(c.raw, `retry: 3000\n\n${frame}`);
      c.close();
      await f.api('/api/calls', { token: member, body: { ops: [{ op: 'release', targetId: 3011 }] } });
    });

    test('an idle SSE stream gets a heartbeat comment (fixture: every second)', async () => {
      const c = await SseClient.connect(f.server.url, { token: member });
      const t0 = Date.now();
      while (!c.raw.includes('\n:\n\n') && Date.now() - t0 < 3500) await sleep(50);
      assert.equal(c.raw.slice(0, 16), 'retry: 3000\n\n:\n\n');
      assert.equal(c.events.length, 0, 'a heartbeat is a comment, not an event');
      c.close();
    });

    test('a resume point past the head gets a reset on SSE, WebSocket and long-poll, then live events', async () => {
      const head = await snapshotSeq(f, member);
      const sse = await SseClient.connect(f.server.url, { token: member, lastEventId: head + 1000 });
      const ws = await WsClient.connect(f.server.url, { token: member, lastEventId: head + 1000 });
      const poll = await f.api(`/api/events?since=${head + 1000}&wait=1`, { token: member });
      await sse.untilCount(1);
      await ws.untilCount(1);
      for (const e of [sse.events[0], ws.events[0], poll.body.events[0]]) {
        assert.equal(e.event, 'reset');
        assert.equal(e.id, head);
        assert.equal(e.data.seq, head);
      }
      assert.equal(poll.body.seq, head);
      const next = await makeChanges(f, member, 1);
      await sse.until((e) => e.at(-1)?.id === next);
      await ws.until(() => ws.events.at(-1)?.id === next);
      assert.deepEqual(
        sse.events.map((e) => [e.id, e.event]),
        [
          [head, 'reset'],
          [next, 'target_call'],
        ],
      );
      assert.deepEqual(
        ws.events.map((e) => [e.id, e.event]),
        [
          [head, 'reset'],
          [next, 'target_call'],
        ],
      );
      sse.close();
      ws.close();
      await makeChanges(f, member, 1);
    });

    // Runs last: it prunes the log.
    test('a resume point older than the pruned log gets a reset, then everything after the head', async () => {
      const head = await headSeq(f.db, 1001);
      await sleep(20);
      const deleted = await pruneEvents(f.db, 1, 5);
      assert.equal(deleted, head - 5);
      // restart so the in-memory window cannot answer either: the log alone decides
      await f.restart();
      const sse = await SseClient.connect(f.server.url, { token: member, lastEventId: 3 });
      const ws = await WsClient.connect(f.server.url, { token: member, lastEventId: 3 });
      const poll = await f.api(`/api/events?since=3&wait=1`, { token: member });
      await sse.untilCount(1);
      await ws.untilCount(1);
      for (const e of [sse.events[0], ws.events[0], poll.body.events[0]])
        assert.deepEqual([e.id, e.event, e.data.seq], [head, 'reset', head]);
      assert.equal(poll.body.events.length, 1);
      // the oldest kept position still resumes normally
      const kept = await SseClient.connect(f.server.url, { token: member, lastEventId: head - 5 });
      await kept.until((e) => e.at(-1)?.id === head);
      assertContiguous(kept.events, head - 5, head);
      const next = await makeChanges(f, member, 1);
      await sse.until((e) => e.at(-1)?.id === next);
      await ws.until(() => ws.events.at(-1)?.id === next);
      assert.deepEqual(
        sse.events.map((e) => e.id),
        [head, next],
      );
      assert.deepEqual(
        ws.events.map((e) => e.id),
        [head, next],
      );
      sse.close();
      ws.close();
      kept.close();
    });
  });
}
