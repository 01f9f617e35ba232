// The settings table (src/config/settings.ts) is the one list of settings: docs/operations.md's
// configuration table is written from it, `torncat --help` lists it, and the flags come from it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadConfig } from '../../src/config.js';
import { configTableMarkdown } from '../../src/config/describe.js';
import { SETTINGS } from '../../src/config/settings.js';

const cli = new URL('../../src/cli.ts', import.meta.url).pathname;
const settings = Object.values(SETTINGS);

function run(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, ['--import', 'tsx', cli, ...args], {
    env: { PATH: process.env.PATH, DATABASE_URL: 'memory://', ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
}

test("docs/operations.md's configuration table is the one written from the settings table (npm run docs:config)", () => {
  const doc = readFileSync(new URL('../../docs/operations.md', import.meta.url), 'utf8');
  const start = doc.indexOf('<!-- config -->\n');
  const end = doc.indexOf('<!-- /config -->');
  assert.ok(start >= 0 && end > start, 'docs/operations.md has its <!-- config --> … <!-- /config --> section');
  const documented = doc.slice(start + '<!-- config -->\n'.length, end).trimEnd();
  assert.equal(documented, configTableMarkdown(), 'docs/operations.md is out of date: run npm run docs:config');
  const listed = [...documented.matchAll(/^\| `([A-Z_]+)`/gm)].map((m) => m[1]);
  assert.deepEqual(
    listed,
    settings.map((s) => s.env),
  );
});

test('each setting has its own variable and flag, one line of doc, and a default its own parser accepts', () => {
  const names = settings.flatMap((s) => [s.env, ...(s.oldName ? [s.oldName.env] : [])]);
  assert.equal(new Set(names).size, names.length, 'a variable name is used twice');
  const flags = settings.flatMap((s) => (s.flag ? [s.flag] : []));
  assert.equal(new Set(flags).size, flags.length, 'a flag is used twice');
  for (const s of settings) {
    assert.doesNotMatch(s.doc, /\n/, s.env);
    if (s.default !== undefined) assert.doesNotThrow(() => s.value.parse(s.default!, s.env, s.default!), s.env);
  }
  // Every default together: the configuration of an unset environment.
  const c = loadConfig({ DATABASE_URL: 'memory://' });
  for (const field of Object.keys(SETTINGS)) assert.ok(field in c, field);
});

test('torncat --help lists the commands and every variable with its flag, what it accepts and its default', () => {
  const r = run(['--help']);
  assert.equal(r.status, 0, r.stderr);
  for (const command of ['serve', 'migrate', 'simulate', 'demo', 'bench']) assert.match(r.stdout, new RegExp(`^  ${command} `, 'm'));
  for (const s of settings) {
    const line = r.stdout.split('\n').find((l) => l.startsWith(`  ${s.env}${s.flag ? `, ${s.flag}` : ''} `));
    assert.ok(line, `${s.env} is not in torncat --help`);
    assert.ok(line.includes(s.value.accepts.replace(/`/g, '')), line);
    if (s.default) assert.ok(line.endsWith(`default ${s.shownDefault ?? s.default}`), line);
  }
});

test("a flag from the settings table sets its variable, and a bad value is told under the variable's name", () => {
  const r = run(['serve', '--database-url', 'mysql://x', '--port=8081']);
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr.trim(), /^DATABASE_URL must be postgres:\/\/… or memory:\/\//);
  const r2 = run(['migrate', '--data-dir', '/tmp', '--port', 'abc']);
  assert.equal(r2.status, 1, r2.stderr);
  assert.match(r2.stderr.trim(), /^PORT must be an integer 0-65535, got "abc"/);
});
