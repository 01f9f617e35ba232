import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SseClient } from '../helpers/stream-clients.js';
import { running, startServerProcess } from '../helpers/server-process.js';
import { pgliteBackend } from '../helpers/databases.js';
import { demoKey, startWarFixture } from '../helpers/war-fixture.js';
import { startSimulator } from '../../src/simulator/index.js';

const cli = new URL('../../src/cli.ts', import.meta.url).pathname;

for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
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
  const pglite = await pgliteBackend();
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

test('SIGHUP (a closed terminal) ends TornCat as SIGTERM does: exit 0, its embedded PostgreSQL stopped, every line JSON', async (t) => {
  const sim = await startSimulator({ dynamic: false });
  const dataDir = mkdtempSync(join(tmpdir(), 'torncat-hup-'));
  chmodSync(dataDir, 0o755);
  t.after(async () => {
    await sim.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  const server = await startServerProcess({
    TORNCAT_DATA_DIR: dataDir,
    TORN_API_URL: sim.url,
    DATABASE_URL: '',
    TORNCAT_EMBEDDED: '',
    TORNCAT_SECRET: '',
    LOG_FORMAT: 'json',
  });
  const lockFile = join(dataDir, 'postgres', 'pgdata', 'postmaster.pid');
  const postmaster = Number(readFileSync(lockFile, 'utf8').split('\n')[0]);
  assert.ok(running(postmaster), 'the embedded PostgreSQL runs');
  await server.stop('SIGHUP');
  assert.deepEqual(server.exit, { code: 0, signal: null }, server.stderr);
  assert.ok(!existsSync(lockFile), 'PostgreSQL removed its lock file: it was stopped, not left behind');
  assert.equal(running(postmaster), false);
  assert.ok(
    server.logs.some((l) => l.msg === 'SIGHUP: shutting down'),
    server.logs.map((l) => l.msg).join('\n'),
  );
  assert.equal(server.stderr, '', 'nothing but JSON lines on stdout, nothing on stderr');
});

test('a TornCat whose parent dies without passing the signal on (npm start, npm killed) shuts down instead of serving alone', async () => {
  const sim = await startSimulator({ dynamic: false });
  // The parent: starts `torncat serve` as npm does (a child process sharing its output), says the
  // child's pid, and is then killed with SIGKILL, so nothing reaches the child.
  const parent = spawn(
    process.execPath,
    [
      '-e',
      `const c = require('node:child_process').spawn(process.execPath, ['--import', 'tsx', ${JSON.stringify(cli)}, 'serve'], { stdio: ['ignore', 'inherit', 'inherit'] });
       console.log(JSON.stringify({ child: c.pid }));
       setInterval(() => {}, 1000);`,
    ],
    {
      cwd: fileURLToPath(new URL('../..', import.meta.url)),
      env: {
        PATH: process.env.PATH,
        DATABASE_URL: 'memory://',
        PORT: '0',
        HOST: '127.0.0.1',
        TORN_API_URL: sim.url,
        LOG_LEVEL: 'info',
        LOG_FORMAT: 'json',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const lines: { msg?: string; child?: number }[] = [];
  let rest = '';
  const ended = new Promise<void>((resolve) => parent.stdout.on('end', () => resolve()));
  const listening = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start: ${JSON.stringify(lines)}`)), 90_000);
    parent.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      rest += chunk;
      let i: number;
      while ((i = rest.indexOf('\n')) >= 0) {
        const line = JSON.parse(rest.slice(0, i)) as { msg?: string; child?: number };
        rest = rest.slice(i + 1);
        lines.push(line);
        const m = /listening on (http:\/\/\S+)/.exec(line.msg ?? '');
        if (m) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      }
    });
  });
  try {
    const url = await listening;
    assert.equal((await fetch(url + '/healthz')).status, 200);
    parent.kill('SIGKILL');
    // The child held the output pipe open: it closes when the child has exited.
    await Promise.race([
      ended,
      new Promise((_, reject) => setTimeout(() => reject(new Error('TornCat still serves 15 s after its parent died')), 15_000)),
    ]);
    assert.ok(
      lines.some((l) => /^the parent process \d+ is gone: shutting down$/.test(l.msg ?? '')),
      lines.map((l) => l.msg).join('\n'),
    );
    await assert.rejects(fetch(url + '/healthz'), 'nothing answers on its port');
  } finally {
    const child = lines.find((l) => l.child)?.child;
    if (child && running(child)) process.kill(child, 'SIGKILL');
    await sim.close();
  }
});
