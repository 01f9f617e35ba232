import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, ConfigError, MIN_SECRET_LENGTH } from '../../src/config.js';

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
  ['TORNCAT_SECRET', 'x'.repeat(31)],
  ['TORNCAT_ALLOWED_ORIGINS', 'www.torn.com'],
  ['TORNCAT_PUBLIC_URL', 'torncat.example.com'],
  ['TORNCAT_TRUST_PROXY', 'yes'],
  ['TORNCAT_METRICS_TOKEN', 'short'],
  ['USERSCRIPT_POLL_INTERVAL_MS', '5'],
  ['SYNC_INTERVAL_MS', '5'],
  ['WAR_CHECK_INTERVAL_MS', 'soon'],
  ['TARGET_STATUS_REFRESH_INTERVAL_MS', '-1'],
  ['OWN_FACTION_REFRESH_INTERVAL_MS', '1.5'],
  ['CALL_TTL_MS', '0'],
  ['MAX_ACTIVE_CALLS_PER_MEMBER', '0'],
  ['TORN_KEY_BUDGET_PER_MIN', '101'],
  ['LOG_LEVEL', 'loud'],
  ['WORKERS', '0'],
  ['WORKERS', 'all'],
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
  assert.equal(c.userscriptPollIntervalMs, 5000);
  assert.deepEqual(c.deprecations, []);
  assert.equal(c.warCheckIntervalMs, 60000);
  assert.equal(c.targetStatusRefreshIntervalMs, 5000);
  assert.equal(c.ownFactionRefreshIntervalMs, 30000);
  assert.equal(c.callTtlMs, 900000);
  assert.ok(Object.isFrozen(c));
  assert.throws(() => ((c as { port: number }).port = 1));
});

test('intervals accept 100 ms, so tests can run fast', () => {
  assert.equal(loadConfig({ DATABASE_URL: 'memory://', USERSCRIPT_POLL_INTERVAL_MS: '100' }).userscriptPollIntervalMs, 100);
});

test('the polling userscript interval under its old name SYNC_INTERVAL_MS still works, with a warning; the new name wins', () => {
  const old = loadConfig({ DATABASE_URL: 'memory://', SYNC_INTERVAL_MS: '700' });
  assert.equal(old.userscriptPollIntervalMs, 700);
  assert.deepEqual(old.deprecations, [
    "SYNC_INTERVAL_MS is deprecated: set USERSCRIPT_POLL_INTERVAL_MS instead (same meaning: the polling userscript's interval)",
  ]);
  const both = loadConfig({ DATABASE_URL: 'memory://', SYNC_INTERVAL_MS: '700', USERSCRIPT_POLL_INTERVAL_MS: '900' });
  assert.equal(both.userscriptPollIntervalMs, 900);
  assert.match(both.deprecations[0], /^SYNC_INTERVAL_MS is ignored: USERSCRIPT_POLL_INTERVAL_MS is set/);
});

test('on the embedded database without TORNCAT_SECRET the config leaves the secret unset and writes nothing', () => {
  const dir = mkdtempSync(join(tmpdir(), 'torncat-cfg-'));
  assert.equal(loadConfig({ TORNCAT_DATA_DIR: dir }).secret, undefined);
  assert.deepEqual(readdirSync(dir), []);
  // memory:// forgets its keys anyway: an ephemeral secret.
  assert.match(loadConfig({ DATABASE_URL: 'memory://' }).secret ?? '', /^[0-9a-f]{64}$/);
});

test('TORNCAT_SECRET needs at least 32 characters, not counting surrounding blanks', () => {
  assert.equal(MIN_SECRET_LENGTH, 32);
  const refused = (v: string) =>
    assert.throws(
      () => loadConfig({ DATABASE_URL: 'postgres://u@h/db', TORNCAT_SECRET: v }),
      (e: unknown) => e instanceof ConfigError && /^TORNCAT_SECRET must be at least 32 characters/.test(e.message),
      JSON.stringify(v),
    );
  refused('x'.repeat(31));
  refused(' '.repeat(40));
  refused(`  ${'x'.repeat(30)}  `);
  assert.equal(loadConfig({ DATABASE_URL: 'postgres://u@h/db', TORNCAT_SECRET: 'x'.repeat(32) }).secret, 'x'.repeat(32));
});

test('TORNCAT_PUBLIC_URL, TORNCAT_TRUST_PROXY and TORNCAT_METRICS_TOKEN are off unless set', () => {
  const off = loadConfig({ DATABASE_URL: 'memory://' });
  assert.equal(off.publicUrl, undefined);
  assert.equal(off.trustProxy, false);
  assert.equal(off.metricsToken, undefined);
  const on = loadConfig({
    DATABASE_URL: 'memory://',
    TORNCAT_PUBLIC_URL: 'https://torncat.example.com/',
    TORNCAT_TRUST_PROXY: '1',
    TORNCAT_METRICS_TOKEN: 'metrics-token-0123456789',
  });
  assert.equal(on.publicUrl, 'https://torncat.example.com');
  assert.equal(on.trustProxy, true);
  assert.equal(on.metricsToken, 'metrics-token-0123456789');
});

test('an unknown CLI flag or command exits 1 with usage', () => {
  const r = run({}, ['serve', '--bogus', '1']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /unknown flag --bogus/);
  const r2 = run({}, ['frobnicate']);
  assert.equal(r2.status, 1);
  assert.match(r2.stderr, /unknown command frobnicate/);
});
