// Without TORNCAT_SECRET, the embedded database's secret is kept in the data directory: generated
// whole on the first start, reused after, and a damaged file is refused rather than replaced.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dataDirSecret, SecretFileError } from '../../src/auth/secret-file.js';
import { MIN_SECRET_LENGTH } from '../../src/config.js';

const cli = new URL('../../src/cli.ts', import.meta.url).pathname;

test('the secret is generated once into the data dir and reused', () => {
  const dir = mkdtempSync(join(tmpdir(), 'torncat-secret-'));
  const a = dataDirSecret(dir, MIN_SECRET_LENGTH);
  assert.equal(readFileSync(join(dir, 'secret'), 'utf8').trim(), a);
  assert.equal(dataDirSecret(dir, MIN_SECRET_LENGTH), a);
});

test('the generated secret is written whole, readable by its owner only, with no temporary file left behind', () => {
  const dir = mkdtempSync(join(tmpdir(), 'torncat-secret-'));
  const a = dataDirSecret(join(dir, 'data'), MIN_SECRET_LENGTH);
  assert.deepEqual(readdirSync(join(dir, 'data')), ['secret']);
  assert.equal(statSync(join(dir, 'data', 'secret')).mode & 0o777, 0o600);
  assert.equal(readFileSync(join(dir, 'data', 'secret'), 'utf8'), a + '\n');
  assert.match(a, /^[0-9a-f]{64}$/);
});

for (const [what, content, said] of [
  ['blank', '', /is empty/],
  ['whitespace-only', ' \n\n', /is empty/],
  ['short', 'abc123\n', /is only 6 characters/],
] as const) {
  test(`a ${what} generated secret file refuses to start, saying what to do, and is not replaced`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'torncat-secret-'));
    writeFileSync(join(dir, 'secret'), content, { mode: 0o600 });
    assert.throws(
      () => dataDirSecret(dir, MIN_SECRET_LENGTH),
      (e: unknown) =>
        e instanceof SecretFileError &&
        e.message.startsWith('TORNCAT_SECRET: the generated secret ') &&
        e.message.includes(join(dir, 'secret')) &&
        said.test(e.message) &&
        /restore it from a backup/.test(e.message),
    );
    assert.equal(readFileSync(join(dir, 'secret'), 'utf8'), content);
    // `torncat serve`: exit 1, one line, before anything starts.
    const r = spawnSync(process.execPath, ['--import', 'tsx', cli, 'serve'], {
      env: { PATH: process.env.PATH, TORNCAT_DATA_DIR: dir },
      encoding: 'utf8',
      timeout: 30_000,
    });
    assert.equal(r.status, 1, r.stderr);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, /^TORNCAT_SECRET: the generated secret /);
    assert.equal(readFileSync(join(dir, 'secret'), 'utf8'), content);
  });
}
