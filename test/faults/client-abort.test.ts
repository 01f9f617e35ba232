import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import pino from 'pino';
import { pgliteBackend } from '../helpers/databases.js';
import { startWarFixture, type WarFixture } from '../helpers/war-fixture.js';
import { SseClient, WsClient } from '../helpers/stream-clients.js';
import { sleep, snapshotSeq } from '../helpers/calls.js';

const pglite = await pgliteBackend();

describe('a client that aborts its own request', () => {
  let f: WarFixture;
  let member: string;
  const lines: { level: number; msg: string; err?: { message?: string } }[] = [];
  const errors = () => lines.filter((l) => l.level >= 50).map((l) => `${l.msg}: ${l.err?.message}`);

  before(async () => {
    const log = pino({ level: 'debug' }, { write: (s: string) => lines.push(JSON.parse(s)) });
    f = await startWarFixture(pglite, { server: { log } });
    member = await f.signIn(2001);
    await f.sync(1001);
  });
  after(() => f.close());

  test('hanging up halfway through a request body is not logged as an error', async () => {
    await new Promise<void>((resolve) => {
      const req = request(`${f.server.url}/api/calls`, {
        method: 'POST',
        headers: { authorization: `Bearer ${member}`, 'content-type': 'application/json', 'content-length': '1000' },
      });
      req.on('error', () => resolve());
      req.write('{"ops":[{"op":"call",');
      setTimeout(() => {
        req.destroy();
        resolve();
      }, 200);
    });
    await sleep(300);
    assert.deepEqual(errors(), []);
    const r = await f.api('/api/calls', { token: member, body: { ops: [{ op: 'call', targetId: 3010 }] } });
    assert.equal(r.status, 200, 'the server serves on');
  });

  test('leaving a long-poll is not logged as an error, and the poll stops waiting', async () => {
    const seq = await snapshotSeq(f, member);
    const gone = new AbortController();
    const poll = fetch(`${f.server.url}/api/events?since=${seq}&wait=20`, {
      headers: { authorization: `Bearer ${member}` },
      signal: gone.signal,
    }).catch(() => undefined);
    await sleep(200);
    assert.equal(f.server.ctx.hub.stats().waiters, 1);
    gone.abort();
    await poll;
    await sleep(200);
    assert.equal(f.server.ctx.hub.stats().waiters, 0, 'nothing waits for a client that left');
    assert.deepEqual(errors(), []);
  });

  test('closing an SSE stream or a WebSocket is not logged as an error', async () => {
    const seq = await snapshotSeq(f, member);
    const sse = await SseClient.connect(f.server.url, { token: member, lastEventId: seq });
    const ws = await WsClient.connect(f.server.url, { token: member, lastEventId: seq });
    await sleep(100);
    sse.close();
    ws.ws.terminate();
    await sleep(300);
    assert.deepEqual(errors(), []);
    assert.equal(f.server.ctx.hub.subscriberCount(), 0);
  });
});
