import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { backends } from '../helpers/databases.js';
import type { WarFixture } from '../helpers/war-fixture.js';
import { startWarRead } from '../helpers/war-read.js';
import { SseClient, WsClient } from '../helpers/stream-clients.js';

for (const backend of await backends()) {
  describe(`fan-out on ${backend.name}`, () => {
    let f: WarFixture;
    let member: string;
    let rival: string;
    let seq: number;

    before(async () => {
      ({
        f,
        tokens: [member, rival],
      } = await startWarRead(backend, { members: [2001, 3001] }));
      await f.sync(1002);
      seq = (await f.api('/api/war', { token: member })).body.seq;
    });
    after(() => f.close());

    test('a call reaches SSE, WebSocket and long-poll clients of the faction with the same id and payload, and no rival', async () => {
      const sse = await SseClient.connect(f.server.url, { token: member, lastEventId: seq });
      const ws = await WsClient.connect(f.server.url, { token: member, lastEventId: seq });
      const rivalSse = await SseClient.connect(f.server.url, { token: rival });
      const poll = f.api(`/api/events?since=${seq}&wait=10`, { token: member });
      const r = await f.api('/api/calls', { token: member, body: { ops: [{ op: 'call', targetId: 3002 }] } });
      assert.equal(r.status, 200);
      assert.equal(r.body.results[0].ok, true);
      assert.equal(r.body.seq, seq + 1);
      await sse.untilCount(1);
      await ws.untilCount(1);
      const polled = (await poll).body;
      const expected = { id: seq + 1, event: 'target_call' };
      assert.deepEqual({ id: sse.events[0].id, event: sse.events[0].event }, expected);
      assert.deepEqual({ id: ws.events[0].id, event: ws.events[0].event }, expected);
      assert.deepEqual({ id: polled.events[0].id, event: polled.events[0].event }, expected);
      assert.deepEqual(sse.events[0].data, ws.events[0].data);
      assert.deepEqual(sse.events[0].data, polled.events[0].data);
      assert.equal(sse.events[0].data.targetId, 3002);
      assert.equal(sse.events[0].data.callerId, 2001);
      assert.equal(sse.events[0].data.state, 'called');
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(rivalSse.events.length, 0, 'the other faction sees nothing');
      sse.close();
      ws.close();
      rivalSse.close();
    });
  });
}
