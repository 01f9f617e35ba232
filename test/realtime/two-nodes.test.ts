import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { PG_ADMIN_URL, sharedBackends } from '../helpers/databases.js';
import type { WarFixture } from '../helpers/war-fixture.js';
import { startWarRead } from '../helpers/war-read.js';
import { SseClient, WsClient } from '../helpers/stream-clients.js';
import type { RunningServer } from '../../src/server/start-server.js';
import { assertContiguous, sleep, snapshotSeq } from '../helpers/calls.js';

const shared = await sharedBackends();
if (shared.length === 0)
  test('two nodes need PostgreSQL', (t) => t.skip(`no PostgreSQL at ${PG_ADMIN_URL} (CI=true makes this a failure)`));

for (const backend of shared) {
  describe(`two server nodes on one ${backend.name} database`, () => {
    let f: WarFixture;
    let b: RunningServer;
    let member: string;
    let mate: string;

    before(async () => {
      // No catch-up timer to lean on: node B learns of A's writes by NOTIFY alone.
      ({
        f,
        tokens: [member, mate],
      } = await startWarRead(backend, { server: { catchUpIntervalMs: 60_000 }, members: [2001, 2002] }));
      b = await f.startNode();
    });
    after(() => f.close());

    const callVia = async (node: { url: string }, token: string, ops: unknown[]) => {
      const res = await fetch(node.url + '/api/calls', {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ ops }),
      });
      assert.equal(res.status, 200);
      return (await res.json()) as any;
    };

    test('a call made through node A reaches SSE, WebSocket and long-poll clients of node B, and back', async () => {
      assert.notEqual(b.url, f.server.url);
      const seq = await snapshotSeq(f, member);
      const sseB = await SseClient.connect(b.url, { token: mate, lastEventId: seq });
      const wsB = await WsClient.connect(b.url, { token: mate, lastEventId: seq });
      const sseA = await SseClient.connect(f.server.url, { token: member, lastEventId: seq });
      const pollB = fetch(`${b.url}/api/events?since=${seq}&wait=10`, { headers: { authorization: `Bearer ${mate}` } }).then(
        (r) => r.json() as any,
      );
      await sleep(100);
      const t0 = Date.now();
      const viaA = await callVia(f.server, member, [{ op: 'call', targetId: 3004 }]);
      assert.equal(viaA.results[0].ok, true);
      await sseB.until((e) => e.length === 1);
      assert.ok(Date.now() - t0 < 5000);
      await wsB.untilCount(1);
      const polled = await pollB;
      for (const e of [sseB.events[0], wsB.events[0], polled.events[0]]) {
        assert.deepEqual([e.id, e.event, e.data.targetId, e.data.callerId, e.data.state], [seq + 1, 'target_call', 3004, 2001, 'called']);
      }
      // and a change made through B reaches A's client
      const viaB = await callVia(b, mate, [{ op: 'call', targetId: 3008 }]);
      assert.equal(viaB.seq, seq + 2);
      await sseA.until((e) => e.length === 2);
      await sseB.until((e) => e.length === 2);
      assertContiguous(sseA.events, seq, seq + 2);
      assertContiguous(sseB.events, seq, seq + 2);
      assert.deepEqual(sseA.events[1].data, sseB.events[1].data);
      for (const c of [sseA, sseB]) c.close();
      wsB.close();
    });

    test('writers on both nodes at once: each node streams the one gap-free sequence', async () => {
      const seq = await snapshotSeq(f, member);
      const sseA = await SseClient.connect(f.server.url, { token: member, lastEventId: seq });
      const sseB = await SseClient.connect(b.url, { token: mate, lastEventId: seq });
      const [ra, rb] = await Promise.all([
        callVia(
          f.server,
          member,
          [3011, 3012, 3013].flatMap((t) => [
            { op: 'call', targetId: t },
            { op: 'release', targetId: t },
          ]),
        ),
        callVia(
          b,
          mate,
          [3014, 3015, 3016].flatMap((t) => [
            { op: 'call', targetId: t },
            { op: 'release', targetId: t },
          ]),
        ),
      ]);
      for (const r of [...ra.results, ...rb.results]) assert.equal(r.ok, true);
      const end = seq + 12;
      await sseA.until((e) => e.at(-1)?.id === end);
      await sseB.until((e) => e.at(-1)?.id === end);
      await sleep(200);
      assertContiguous(sseA.events, seq, end);
      assertContiguous(sseB.events, seq, end);
      assert.deepEqual(
        sseA.events.map((e) => e.data),
        sseB.events.map((e) => e.data),
      );
      sseA.close();
      sseB.close();
    });
  });
}
