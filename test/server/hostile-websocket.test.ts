// WebSocket commands as an attacker sends them. The crash is tried against `torncat serve` in a
// process of its own: there an exception nobody handles ends the process as it would in production
// (inside the test process the test runner would catch it). What a socket costs is measured in
// process, on the server's end of the connection.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Socket } from 'node:net';
import WebSocket from 'ws';
import { startSimulator, demoKeyFor, type Simulator } from '../../src/simulator/index.js';
import { headSeq } from '../../src/realtime/event-log.js';
import { appendMarker } from '../helpers/log-markers.js';
import { MAX_REF_CHARS } from '../../src/server/transports/ws-commands.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { backends, createPgDatabase } from '../helpers/databases.js';
import { startWarFixture, type WarFixture } from '../helpers/war-fixture.js';
import { WsClient } from '../helpers/stream-clients.js';
import { sleep } from '../helpers/calls.js';

const MiB = 1 << 20;

async function signIn(url: string, playerId: number): Promise<string> {
  const res = await fetch(`${url}/api/auth`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ apiKey: demoKeyFor(playerId) }),
  });
  const body = (await res.json()) as { token: string };
  assert.equal(res.status, 200, JSON.stringify(body));
  return body.token;
}

/** Opens a WebSocket and collects its messages (parsed) and its close code. */
async function openSocket(url: string, token: string) {
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/ws?token=${token}`);
  const messages: any[] = [];
  let closeCode: number | undefined;
  ws.on('message', (raw) => messages.push(JSON.parse(raw.toString())));
  ws.on('close', (code) => (closeCode = code));
  ws.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return {
    ws,
    messages,
    get closeCode() {
      return closeCode;
    },
  };
}

/** `{"type":"ping","ref":[[[…]]]}` with `depth` nested arrays. */
const nestedPing = (depth: number) => `{"type":"ping","ref":${'['.repeat(depth)}${']'.repeat(depth)}}`;

describe('hostile WebSocket commands against a server process', () => {
  let sim: Simulator;
  let server: ServerProcess;
  let database: { url: string; drop(): Promise<void> };
  let token: string;

  before(async () => {
    sim = await startSimulator({ dynamic: false });
    database = await createPgDatabase();
    server = await startServerProcess({
      DATABASE_URL: database.url,
      TORN_API_URL: sim.url,
      TORNCAT_SECRET: 'test-secret-0123456789abcdef-0123456789',
      SIGN_IN_LIMIT_PER_MIN: '1000',
      CALL_OPS_LIMIT_PER_MIN: '100000',
    });
    token = await signIn(server.url, 2001);
  });
  after(async () => {
    await server?.stop();
    await sim?.close();
    await database?.drop();
  });

  test('a deeply nested ref is refused with an error reply, and the process lives on', async () => {
    // Found by the second hardening pass: at depth 6,000 JSON.stringify threw while the pong was built,
    // the error reply threw again with the same ref, the rejection was unhandled and Node exited.
    const c = await openSocket(server.url, token);
    const depths = [10, 1000, 2000, 4000, 6000, 8000];
    for (const [i, depth] of depths.entries()) {
      const payload = nestedPing(depth);
      assert.ok(payload.length < 16 * 1024, 'under the frame cap');
      c.ws.send(payload);
      c.ws.send(JSON.stringify({ type: 'ping', ref: `after-${i}` }));
    }
    const deadline = Date.now() + 10_000;
    const answered = () => c.messages.filter((m) => m.type === 'pong' || m.type === 'result').length >= depths.length * 2;
    while (!answered() && c.closeCode === undefined && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    // A process that is going takes a moment to be seen gone.
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(server.exit, undefined, `the server process exited: ${server.stderr.slice(-2000)}`);
    const refused = c.messages.filter((m) => m.type === 'result' && m.ok === false);
    assert.equal(refused.length, depths.length, JSON.stringify(c.messages).slice(0, 500));
    for (const m of refused) {
      assert.equal(m.error.code, 'invalid_request');
      assert.match(m.error.message, /ref/);
      assert.equal('ref' in m, false, 'a ref that is not a bounded scalar is not echoed');
    }
    assert.deepEqual(
      c.messages.filter((m) => m.type === 'pong').map((m) => m.ref),
      depths.map((_, i) => `after-${i}`),
    );
    c.ws.close();
    const health = await fetch(`${server.url}/healthz`);
    assert.equal(health.status, 200);
    assert.deepEqual(server.errors(), []);
  });
});

/** The server's end of the client connection whose local port is `clientPort`. */
function serverEnd(serverPort: number, clientPort: number): Socket | undefined {
  const handles = (process as unknown as { _getActiveHandles(): unknown[] })._getActiveHandles();
  return handles.find((h): h is Socket => h instanceof Socket && h.localPort === serverPort && h.remotePort === clientPort);
}

const [postgres] = (await backends()).filter((b) => b.name === 'postgres');

describe('WebSocket clients that send and never read', () => {
  const fixtures: WarFixture[] = [];
  after(async () => {
    for (const f of fixtures) await f.close();
  });

  /** A WebSocket whose client stops reading at once, with a full backlog of events in front of its answers. */
  async function stalledSocket(f: WarFixture, token: string) {
    const ws = await WsClient.connect(f.server.url, { token, lastEventId: await headSeq(f.db, 1001) });
    const client = (ws.ws as any)._socket as Socket;
    client.pause();
    const server = serverEnd(f.server.port, client.localPort!);
    assert.ok(server, "the server's end of the socket");
    return { ws, client, server };
  }

  test('answers count against the 1 MiB unsent bound: a client that sends pings and never reads is cut, and the server never holds more for it', async () => {
    // Found by the second hardening pass: pings with 16 KB refs from a client that never read made
    // the server hold about 950 MB for that one socket (RSS 462 → 1,067 MB).
    // No heartbeat and no stall cut here: only the unsent bound may end this socket. The hub holds
    // back events once 900 KiB wait (256 KiB by default), so the answers have less to fill.
    const lag = 900 * 1024;
    const f = await startWarFixture(postgres, { server: { heartbeatMs: 600_000, hub: { stallMs: 600_000, lagBytes: lag } } });
    fixtures.push(f);
    const token = await f.signIn(2001);
    await f.sync(1001);
    const { ws, server } = await stalledSocket(f, token);
    // Events first, until the kernel's buffers are full and the hub holds back.
    const padding = 'x'.repeat(48 * 1024);
    for (let i = 0; i < 300 && server.writableLength < lag - 64 * 1024; i++) {
      await f.db.transaction(async (tx) => {
        for (let j = 0; j < 10; j++) await appendMarker(tx, 1001, 'war_summary', { warId: 5001, i, j, padding });
      });
      await sleep(5);
    }
    const filled = server.writableLength;
    assert.ok(filled >= lag - 64 * 1024 && filled < MiB && !server.destroyed, `the events filled the socket (${filled} bytes unsent)`);

    // Then pings with the longest ref allowed, a batch at a time (fewer than the 32 that may wait),
    // each batch once the server answered the last: the answers pile up behind the events.
    const ref = 'r'.repeat(MAX_REF_CHARS);
    // A pong is one frame: a 4-byte header (16-bit length) and the JSON.
    const pongBytes = 4 + Buffer.byteLength(JSON.stringify({ type: 'pong', ref }));
    const batch = 16;
    let most = filled;
    let sent = 0;
    while (!server.destroyed && sent < 20_000 && most < 4 * MiB) {
      const before = server.writableLength;
      for (let i = 0; i < batch; i++) ws.send({ type: 'ping', ref });
      sent += batch;
      for (let i = 0; i < 2500 && !server.destroyed && server.writableLength < before + batch * pongBytes; i++) {
        await sleep(2);
        most = Math.max(most, server.writableLength);
      }
      most = Math.max(most, server.writableLength);
    }
    console.log(`unsent bound: ${filled} bytes of events, then ${sent} pings; at most ${most} bytes unsent; cut: ${server.destroyed}`);
    assert.ok(server.destroyed, `the server did not cut the socket: ${sent} pings sent, ${most} bytes unsent`);
    assert.ok(most <= MiB + 1024, `the server held ${most} bytes unsent for one socket (bound: ${MiB})`);
    assert.ok(most > filled, 'the answers, not the events, reached the bound');
  });

  test('a client that keeps sending but never reads is not taken for alive: the heartbeat drops it', async () => {
    // Before, any message counted as a sign of life, so a client that wrote and never read kept its socket.
    const f = await startWarFixture(postgres, { server: { heartbeatMs: 300 } });
    fixtures.push(f);
    const token = await f.signIn(2001);
    const { ws, server } = await stalledSocket(f, token);
    const started = Date.now();
    while (!server.destroyed && Date.now() - started < 5000) {
      ws.send({ type: 'ping' });
      await sleep(50);
    }
    assert.ok(server.destroyed, 'the server still holds the socket of a client that has not read for 5 s');
  });
});
