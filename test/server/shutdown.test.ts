import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { SseClient } from '../helpers/stream-clients.js';
import { backends } from '../helpers/databases.js';
import { demoKey, startWarFixture } from '../helpers/war-fixture.js';
import { startSimulator } from '../../src/simulator/index.js';

const cli = new URL('../../src/cli.ts', import.meta.url).pathname;

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  test(`${signal} ends open streams and exits 0 within 10 s`, async () => {
    const sim = await startSimulator({ dynamic: false });
    const child = spawn(process.execPath, ['--import', 'tsx', cli, 'serve'], {
      env: { PATH: process.env.PATH, DATABASE_URL: 'memory://', PORT: '0', HOST: '127.0.0.1', TORN_API_URL: sim.url, LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const url = await new Promise<string>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no start: ${out}`)), 60_000);
      child.stdout.on('data', () => {
        const m = /listening on (http:\/\/[\d.]+:\d+)/.exec(out);
        if (m) {
          clearTimeout(t);
          resolve(m[1]);
        }
      });
    });
    const auth = await (
      await fetch(url + '/api/auth', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ apiKey: demoKey(2001) }),
      })
    ).json();
    const sse = await SseClient.connect(url, { token: auth.token, lastEventId: 0 });
    assert.equal(sse.status, 200);
    const started = Date.now();
    child.kill(signal);
    const [code] = await once(child, 'exit');
    await sim.close();
    assert.equal(code, 0);
    assert.ok(Date.now() - started < 10_000, 'exits within 10 s');
    await sse.until(() => sse.closed, 2000).catch(() => {});
    assert.equal(sse.closed, true, 'the open stream ended');
  });
}

test('on close a server ends its SSE streams and refuses new ones', async () => {
  const [pglite] = (await backends()).filter((b) => b.name === 'pglite');
  const f = await startWarFixture(pglite);
  try {
    const token = await f.signIn(2001);
    const sse = await SseClient.connect(f.server.url, { token, lastEventId: 0 });
    assert.equal(sse.status, 200);
    const closing = f.server.close();
    await sse.until(() => sse.closed, 5000).catch(() => {});
    assert.equal(sse.closed, true, 'the stream ended');
    await closing;
  } finally {
    await f.close().catch(() => {});
  }
});
