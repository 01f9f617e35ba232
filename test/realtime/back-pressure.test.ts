import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import v8 from 'node:v8';
import vm from 'node:vm';
import { backends } from '../helpers/databases.js';
import type { WarFixture } from '../helpers/war-fixture.js';
import { startWarRead } from '../helpers/war-read.js';
import { SseClient, WsClient } from '../helpers/stream-clients.js';
import { headSeq } from '../../src/realtime/event-log.js';
import { appendMarker } from '../helpers/log-markers.js';
import { assertContiguous, sleep } from '../helpers/calls.js';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

const EVENTS = 600;
const PAD = 48 * 1024;
const MiB = 1 << 20;

/**
 * What the process holds, after a full collection. PGlite's database is WebAssembly memory, an
 * ArrayBuffer that only grows as the log grows, so on PGlite only the JS heap is comparable.
 */
function held(kind: string): number {
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + (kind === 'postgres' ? m.arrayBuffers : 0);
}

async function waitFor(cond: () => boolean, what: string, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

for (const backend of await backends()) {
  describe(`back-pressure on ${backend.name}`, () => {
    let f: WarFixture;
    let slowToken: string;
    let fastToken: string;

    before(async () => {
      // A client that has not drained for a second stopped reading (the default is 15 s).
      ({
        f,
        tokens: [slowToken, fastToken],
      } = await startWarRead(backend, { server: { hub: { stallMs: 1000 } }, members: [2001, 2002] }));
    });
    after(() => f.close());

    /** `count` events of `pad` bytes in the faction's log, written as the app writes them: in transactions, through the counter. */
    async function flood(count: number, pad: number, perTx: number): Promise<number> {
      const padding = 'x'.repeat(pad);
      let last = 0;
      for (let k = 0; k < count; k += perTx) {
        last = await f.db.transaction(async (tx) => {
          let seq = 0;
          for (let i = k; i < k + perTx; i++) seq = await appendMarker(tx, 1001, 'war_summary', { warId: 5001, i, padding });
          return seq;
        });
      }
      return last;
    }

    test('SSE and WebSocket clients that stop reading are cut, the server keeps no queue for them, and they resume from their last id', async () => {
      const seq = await headSeq(f.db, 1001);
      const sse = await SseClient.connect(f.server.url, { token: slowToken, lastEventId: seq, light: true });
      sse.pause();
      const ws = await WsClient.connect(f.server.url, { token: slowToken, lastEventId: seq });
      const socket = (ws.ws as any)._socket as import('node:net').Socket;
      socket.pause();
      await waitFor(() => f.server.ctx.hub.stats().subscribers === 2, 'both clients attached');
      const before = held(backend.name);

      const end = await flood(EVENTS, PAD, 50);
      await waitFor(() => f.server.ctx.hub.stats().subscribers === 0, 'both stalled clients to be cut');
      const stats = f.server.ctx.hub.stats();
      assert.ok(stats.windowBytes <= 4 * MiB + PAD + 100, `the window holds ${stats.windowBytes} bytes`);
      assert.ok(stats.windowEvents < EVENTS);
      const grown = held(backend.name) - before;
      // Produced: EVENTS × PAD ≈ 29 MB. Kept: the window (≤ 4 MiB of JSON, in a few forms; ~8–11 MiB
      // measured), no per-client queue.
      assert.ok(grown < 20 * MiB, `the server kept ${Math.round(grown / MiB)} MiB while ${Math.round((EVENTS * PAD) / MiB)} MiB went by`);

      sse.resume();
      socket.resume();
      await waitFor(() => sse.closed, 'the stalled SSE stream to end');
      await waitFor(() => ws.ws.readyState === ws.ws.CLOSED, 'the stalled WebSocket to close');
      for (const got of [sse.events, ws.events]) {
        assert.ok(got.length < EVENTS, `a cut client got ${got.length} of ${EVENTS}`);
        assertContiguous(got, seq, got.at(-1)?.id ?? seq);
        const last = got.at(-1)?.id ?? seq;
        got.length = 0;
        const resumed = await SseClient.connect(f.server.url, { token: slowToken, lastEventId: last, light: true });
        await resumed.until((e) => e.at(-1)?.id === end, 60_000);
        assertContiguous(resumed.events, last, end);
        resumed.close();
      }
    });

    test('a client that reads is never cut, even by bursts far over the bound, and a stalled one does not hold it back', async () => {
      const seq = await headSeq(f.db, 1001);
      const slow = await SseClient.connect(f.server.url, { token: slowToken, lastEventId: seq, light: true });
      slow.pause();
      const fast = await SseClient.connect(f.server.url, { token: fastToken, lastEventId: seq, light: true });
      // 2.4 MB per transaction: each burst alone is over the 1 MiB bound
      const end = await flood(150, PAD, 50);
      await fast.until((e) => e.at(-1)?.id === end, 30_000);
      assertContiguous(fast.events, seq, end);
      assert.equal(fast.closed, false);
      await waitFor(() => f.server.ctx.hub.stats().subscribers === 1, 'the stalled client to be cut');
      fast.close();
      slow.close();
    });

    test('a client resuming far behind catches up at its own pace instead of being cut', async () => {
      const seq = await headSeq(f.db, 1001);
      const end = await flood(150, PAD, 50);
      // the window holds ~4 MiB (about 85 of these): the older half of this replay comes from the log
      const late = await SseClient.connect(f.server.url, { token: fastToken, lastEventId: seq, light: true });
      await late.until((e) => e.at(-1)?.id === end, 30_000);
      assertContiguous(late.events, seq, end);
      late.close();
    });
  });
}
