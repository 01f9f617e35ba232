import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import WebSocket from 'ws';
import { backends } from '../helpers/databases.js';
import { startWarFixture, type WarFixture } from '../helpers/war-fixture.js';
import { makeChanges, sleep } from '../helpers/calls.js';

const CYCLES = 10_000;
const IN_FLIGHT = 50;
/** The database pool's size (openPgDatabase's default). */
const POOL_SIZE = 10;
/** Heap the server may keep after 10,000 cycles beyond what it held after the warm-up (caches filled, JIT). */
const HEAP_SLACK_MIB = 8;

// A full collection on demand, so that heap figures compare what is reachable, not what the GC has
// not yet got to. The flag must be set before the function is asked for.
setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;

/** Resources keeping the process alive (sockets, timers, servers), by kind. */
function handles(): Map<string, number> {
  const out = new Map<string, number>();
  for (const kind of process.getActiveResourcesInfo()) out.set(kind, (out.get(kind) ?? 0) + 1);
  return out;
}

async function settle(): Promise<number> {
  for (let i = 0; i < 3; i++) {
    collect();
    await sleep(50);
  }
  return process.memoryUsage().heapUsed / 2 ** 20;
}

/**
 * Visit `i`: opens an SSE stream, a WebSocket or a long-poll (in turn), reads its first event, and
 * leaves (a WebSocket by its closing handshake or, every other time, by cutting the socket).
 */
function visit(url: string, token: string, from: number, i: number): Promise<void> {
  const kind = i % 3;
  return new Promise((resolve, reject) => {
    if (kind === 1) {
      const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/ws?token=${token}&lastEventId=${from}`);
      ws.once('message', () => (Math.floor(i / 3) % 2 === 0 ? ws.close() : ws.terminate()));
      ws.once('error', reject);
      ws.once('close', () => resolve());
      return;
    }
    const path = kind === 0 ? `/events?lastEventId=${from}` : `/api/events?since=${from}&wait=1`;
    const req = request(url + path, { agent: false, headers: { authorization: `Bearer ${token}` } }, (res) => {
      if (res.statusCode !== 200) {
        reject(new Error(`${path}: ${res.statusCode}`));
        res.resume();
        return;
      }
      // SSE: leave as soon as the first event is in; long-poll: read the whole answer.
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
        if (kind === 0 && /^id:/m.test(text)) res.destroy();
      });
      res.on('close', () => resolve());
      res.on('error', () => resolve());
    });
    req.on('error', reject);
    req.end();
  });
}

// What is left behind is the server's, whatever the database: one back-end is enough (PostgreSQL
// when there is one).
for (const backend of (await backends()).slice(0, 1)) {
  describe(`${CYCLES} connect/disconnect cycles (${backend.name})`, { timeout: 15 * 60_000 }, () => {
    let f: WarFixture;
    let token: string;
    let from: number;

    before(async () => {
      f = await startWarFixture(backend);
      token = await f.signIn(2001);
      await f.sync(1001);
      const seq = (await f.api('/api/war', { token })).body.seq as number;
      await makeChanges(f, token, 3);
      from = seq;
    });
    after(() => f?.close());

    test(
      'SSE, WebSocket and long-poll clients come and go: the server ends with the handles, subscribers and heap it had before',
      { timeout: 15 * 60_000 },
      async () => {
        const run = async (n: number) => {
          let next = 0;
          await Promise.all(
            Array.from({ length: IN_FLIGHT }, async () => {
              while (next < n) {
                const i = next++;
                await visit(f.server.url, token, from, i);
              }
            }),
          );
          // The server learns of the last closes a moment after the clients made them.
          const deadline = Date.now() + 10_000;
          while (f.server.ctx.hub.subscriberCount() > 0 || f.server.ctx.hub.stats().waiters > 0) {
            assert.ok(Date.now() < deadline, `subscribers left: ${f.server.ctx.hub.subscriberCount()}`);
            await sleep(20);
          }
        };
        // The warm-up fills what is meant to fill once (plan caches, compiled code, pools).
        await run(500);
        const heapBefore = await settle();
        const handlesBefore = handles();
        const started = performance.now();
        await run(CYCLES);
        const seconds = (performance.now() - started) / 1000;
        const heapAfter = await settle();
        const handlesAfter = handles();

        assert.equal(f.server.ctx.hub.subscriberCount(), 0);
        for (const [kind, n] of handlesAfter) {
          // Each idle pooled database connection keeps a timer of its own, and how many sit idle at
          // a given moment varies: timers get the pool's size as slack (a timer per client would be thousands).
          const slack = kind === 'Timeout' ? POOL_SIZE : 0;
          const before = handlesBefore.get(kind) ?? 0;
          assert.ok(n <= before + slack, `${kind}: ${n} open after, ${before} before`);
        }
        assert.ok(
          heapAfter - heapBefore < HEAP_SLACK_MIB,
          `heap ${heapBefore.toFixed(1)} → ${heapAfter.toFixed(1)} MiB over ${CYCLES} cycles`,
        );
        const r = await f.api('/api/war', { token });
        assert.equal(r.status, 200, 'the server serves on');
        console.log(
          `${CYCLES} cycles (${backend.name}) in ${seconds.toFixed(1)} s; heap ${heapBefore.toFixed(1)} → ${heapAfter.toFixed(1)} MiB; ` +
            `handles ${JSON.stringify(Object.fromEntries(handlesBefore))} → ${JSON.stringify(Object.fromEntries(handlesAfter))}`,
        );
      },
    );
  });
}
