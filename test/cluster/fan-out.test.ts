import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sharedBackends } from '../helpers/databases.js';
import { api, startDrill, type Drill } from '../helpers/outage-drill.js';
import { SseClient, WsClient } from '../helpers/stream-clients.js';
import { assertContiguous, sleep } from '../helpers/calls.js';
import { onWorkers, oneShot, workerOf } from './workers.js';

// `torncat serve` with WORKERS=2: connections are spread over two processes, each with its own hub
// and LISTEN connection; every client must still get every event of its faction, in order.
for (const backend of await sharedBackends()) {
  describe(`WORKERS=2: streams on both workers (${backend.name})`, { timeout: 60_000 }, () => {
    let d: Drill;
    let database: Awaited<ReturnType<typeof backend.open>>;
    before(async () => {
      database = await backend.open({ migrated: false });
      d = await startDrill(database.url, { WORKERS: '2' });
    });
    after(async () => {
      await d?.close();
      await database?.close();
    });

    test('SSE and WebSocket clients on worker 1 and worker 2 each get every event once, in order', async () => {
      const from = d.startSeq;
      const sse = await onWorkers(() => SseClient.connect(d.server.url, { token: d.token, lastEventId: from }), workerOf);
      const ws = await onWorkers(() => WsClient.connect(d.server.url, { token: d.token, lastEventId: from }), workerOf);
      assert.deepEqual([...sse.keys()].sort(), ['1', '2'], 'SSE clients landed on both workers');
      assert.deepEqual([...ws.keys()].sort(), ['1', '2'], 'WebSocket clients landed on both workers');

      // /metrics gives the machine's figures whichever worker answers: the four streams, not one worker's two.
      for (let tries = 0; ; tries++) {
        const answers = await Promise.all([oneShot(d.server.url, '/metrics'), oneShot(d.server.url, '/metrics')]);
        const counts = answers.map((a) => Number(/^torncat_realtime_subscribers (\d+)$/m.exec(String(a.body))?.[1]));
        if (counts.every((n) => n === 4) && new Set(answers.map((a) => a.worker)).size === 2) break;
        // Clients closed while picking workers may still count for a moment.
        assert.ok(tries < 50, `subscribers by answering worker: ${JSON.stringify(answers.map((a, i) => [a.worker, counts[i]]))}`);
        await sleep(100);
      }

      const N = 20;
      let seq = from;
      for (let i = 0; i < N; i++) {
        const r = await api(d.server, '/api/calls', {
          token: d.token,
          body: { ops: [{ op: i % 2 === 0 ? 'call' : 'release', targetId: 3010 }] },
        });
        assert.equal(r.status, 200, JSON.stringify(r.body));
        seq = Math.max(seq, r.body.seq);
      }
      for (const [worker, c] of sse) {
        await c.until((e) => e.at(-1)?.id === seq);
        assertContiguous(c.events, from, seq);
        assert.ok(c.events.length >= N, `SSE on worker ${worker}`);
        c.close();
      }
      for (const [worker, c] of ws) {
        await c.until(() => c.events.at(-1)?.id === seq);
        assertContiguous(c.events, from, seq);
        assert.ok(c.events.length >= N, `WebSocket on worker ${worker}`);
        c.close();
      }
      assert.deepEqual(d.server.errors(), []);
    });
  });
}
