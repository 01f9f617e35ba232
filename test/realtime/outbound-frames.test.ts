// The bytes every subscriber is written: an SSE frame as one HTTP/1.1 chunk, a WebSocket text
// frame (each length form), checked by reading them back; and the raw stream an HTTP/1.1 and an
// HTTP/1.0 client get from a real server.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket from 'ws';
import { pgliteBackend } from '../helpers/databases.js';
import type { WarFixture } from '../helpers/war-fixture.js';
import { startWarRead } from '../helpers/war-read.js';
import { OutboundEvent } from '../../src/realtime/outbound-event.js';
import { headSeq } from '../../src/realtime/event-log.js';
import { appendMarker } from '../helpers/log-markers.js';
import { sleep } from '../helpers/calls.js';

/** The message a real `ws` client reads when a server sends it `frame` after the handshake. */
async function readByWsClient(frame: Buffer): Promise<string> {
  const server = createServer();
  server.on('upgrade', (req, socket) => {
    const accept = createHash('sha1').update(`${req.headers['sec-websocket-key']}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
    socket.write(
      `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`,
    );
    socket.write(frame);
    socket.on('error', () => {});
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const ws = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return await new Promise<string>((resolve, reject) => {
      ws.once('message', (data: Buffer, isBinary: boolean) => {
        ws.terminate();
        resolve(isBinary ? '<binary>' : data.toString());
      });
      ws.once('error', reject);
    });
  } finally {
    server.closeAllConnections();
    server.close();
  }
}

describe('pre-encoded frames', () => {
  for (const size of [10, 200, 70_000]) {
    test(`a ${size}-character event: the WebSocket frame reads back as its message, the SSE chunk as its frame`, async () => {
      const ev = new OutboundEvent(42, 'war_summary', { warId: 1, text: 'é'.repeat(size) });
      assert.equal(await readByWsClient(ev.wsFrame), ev.ws);
      const chunk = ev.sseChunk.toString();
      const eol = chunk.indexOf('\r\n');
      const length = parseInt(chunk.slice(0, eol), 16);
      assert.equal(length, ev.sse.length, 'the size line counts bytes, not characters');
      assert.equal(chunk.slice(eol + 2), ev.sse.toString() + '\r\n');
    });
  }
});

const pglite = await pgliteBackend();

describe('the SSE stream on the wire', () => {
  let f: WarFixture;
  let token: string;
  before(async () => {
    ({ f, token } = await startWarRead(pglite));
  });
  after(() => f.close());

  /** What a raw client speaking `version` reads from /events while two events are committed. */
  async function rawStream(version: '1.0' | '1.1'): Promise<string> {
    const url = new URL(f.server.url);
    const socket = connect(Number(url.port), url.hostname);
    let text = '';
    socket.on('data', (d: Buffer) => (text += d.toString()));
    socket.write(`GET /events HTTP/${version}\r\nHost: ${url.host}\r\nAuthorization: Bearer ${token}\r\n\r\n`);
    const deadline = Date.now() + 10_000;
    while (!text.includes('retry: ')) {
      if (Date.now() > deadline) throw new Error(`no stream: ${text}`);
      await sleep(20);
    }
    while (f.server.ctx.hub.stats().subscribers === 0) await sleep(20);
    const seq = await headSeq(f.db, 1001);
    await appendMarker(f.db, 1001, 'war_summary', { warId: 5001, n: 1 });
    await appendMarker(f.db, 1001, 'war_summary', { warId: 5001, n: 2 });
    while (!text.includes(`id: ${seq + 2}\n`)) {
      if (Date.now() > deadline) throw new Error(`events did not arrive: ${text}`);
      await sleep(20);
    }
    socket.destroy();
    return text.slice(text.indexOf('\r\n\r\n') + 4);
  }

  test('HTTP/1.1: the preamble and every event are well-formed chunks, one event per chunk', async () => {
    const body = await rawStream('1.1');
    const chunks: string[] = [];
    let rest = body;
    while (rest.length) {
      const eol = rest.indexOf('\r\n');
      const n = parseInt(rest.slice(0, eol), 16);
      assert.ok(Number.isInteger(n) && n > 0, `a chunk size line, got ${JSON.stringify(rest.slice(0, 20))}`);
      chunks.push(rest.slice(eol + 2, eol + 2 + n));
      assert.equal(rest.slice(eol + 2 + n, eol + 4 + n), '\r\n');
      rest = rest.slice(eol + 4 + n);
    }
    assert.equal(chunks[0], 'retry: 3000\n\n');
    // Keep-alive comments (the fixture beats every second) may come between events, as chunks of their own.
    const events = chunks.slice(1).filter((c) => c !== ':\n\n');
    assert.equal(events.length, 2);
    for (const [i, e] of events.entries())
      assert.match(e, new RegExp(`^id: \\d+\\nevent: war_summary\\ndata: \\{"warId":5001,"n":${i + 1}\\}\\n\\n$`));
  });

  test('HTTP/1.0 (no chunked encoding): the frames as they are', async () => {
    const body = (await rawStream('1.0')).replaceAll(/^:\n\n/gm, '');
    assert.match(
      body,
      /^retry: 3000\n\nid: \d+\nevent: war_summary\ndata: \{"warId":5001,"n":1\}\n\nid: \d+\nevent: war_summary\ndata: \{"warId":5001,"n":2\}\n\n$/,
    );
  });
});
