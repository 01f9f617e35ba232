import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, ConfigError } from '../../src/config.js';

const cli = new URL('../../src/cli.ts', import.meta.url).pathname;

function run(env: Record<string, string>, args: string[] = ['serve']) {
  return spawnSync(process.execPath, ['--import', 'tsx', cli, ...args], {
    env: { PATH: process.env.PATH, DATABASE_URL: 'memory://', ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
}

const bad: [string, string][] = [
  ['PORT', 'abc'],
  ['PORT', '70000'],
  ['DATABASE_URL', 'mysql://x'],
  ['TORN_API_URL', 'not a url'],
  ['TORN_API_URL', 'ftp://api.torn.com'],
  ['TORNCAT_SECRET', 'short'],
  ['TORNCAT_ALLOWED_ORIGINS', 'www.torn.com'],
  ['SYNC_INTERVAL_MS', '5'],
  ['WAR_CHECK_INTERVAL_MS', 'soon'],
  ['TARGET_STATUS_REFRESH_INTERVAL_MS', '-1'],
  ['OWN_FACTION_REFRESH_INTERVAL_MS', '1.5'],
  ['CALL_TTL_MS', '0'],
  ['MAX_ACTIVE_CALLS_PER_MEMBER', '0'],
  ['TORN_KEY_BUDGET_PER_MIN', '101'],
  ['LOG_LEVEL', 'loud'],
];

for (const [name, value] of bad) {
  test(`${name}=${JSON.stringify(value)} stops the server with exit 1 and one line naming ${name}`, () => {
    const r = run({ [name]: value });
    assert.equal(r.status, 1, r.stderr);
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0], new RegExp(`^${name} `));
  });
}

test('a PostgreSQL DATABASE_URL without TORNCAT_SECRET is refused with a message naming TORNCAT_SECRET', () => {
  assert.throws(
    () => loadConfig({ DATABASE_URL: 'postgres://u@h/db' }),
    (e: unknown) => e instanceof ConfigError && /^TORNCAT_SECRET /.test(e.message),
  );
});

test('the defaults are the seed intervals, and the config object is frozen', () => {
  const c = loadConfig({ DATABASE_URL: 'memory://' });
  assert.equal(c.port, 8080);
  assert.equal(c.tornApiUrl, 'https://api.torn.com');
  assert.deepEqual(c.allowedOrigins, ['https://www.torn.com']);
  assert.equal(c.syncIntervalMs, 5000);
  assert.equal(c.warCheckIntervalMs, 60000);
  assert.equal(c.targetStatusRefreshIntervalMs, 5000);
  assert.equal(c.ownFactionRefreshIntervalMs, 30000);
  assert.equal(c.callTtlMs, 900000);
  assert.ok(Object.isFrozen(c));
  assert.throws(() => ((c as { port: number }).port = 1));
});

test('intervals accept 100 ms, so tests can run fast', () => {
  assert.equal(loadConfig({ DATABASE_URL: 'memory://', SYNC_INTERVAL_MS: '100' }).syncIntervalMs, 100);
});

test('on the embedded database the secret is generated once into the data dir and reused', () => {
  const dir = mkdtempSync(join(tmpdir(), 'torncat-cfg-'));
  const a = loadConfig({ TORNCAT_DATA_DIR: dir });
  assert.ok(existsSync(join(dir, 'secret')));
  assert.equal(readFileSync(join(dir, 'secret'), 'utf8').trim(), a.secret);
  assert.equal(loadConfig({ TORNCAT_DATA_DIR: dir }).secret, a.secret);
});

test('an unknown CLI flag or command exits 1 with usage', () => {
  const r = run({}, ['serve', '--bogus', '1']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /unknown flag --bogus/);
  const r2 = run({}, ['frobnicate']);
  assert.equal(r2.status, 1);
  assert.match(r2.stderr, /unknown command frobnicate/);
});
