// WebSocket commands as an attacker sends them, against `torncat serve` in a process of its own:
// there an exception nobody handles ends the process as it would in production (inside the test
// process the test runner would catch it).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { startSimulator, demoKeyFor, type Simulator } from '../../src/simulator/index.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';

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
  let token: string;

  before(async () => {
    sim = await startSimulator({ dynamic: false });
    server = await startServerProcess({
      DATABASE_URL: 'memory://',
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
