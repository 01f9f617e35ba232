// `npm run bench` from a fresh clone: a section whose members sign in from one address must lift the
// per-address limits itself (bench/limits.ts), or it stops at its 11th sign-in with 429. The
// Torn-requests section signs in 25 members; `--quick` runs it small. Nothing about its figures is checked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

test('the Torn-requests section runs whole, 25 sign-ins from one address included', () => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'bench/run.ts', 'torn-requests', '--quick'], {
    cwd: root,
    encoding: 'utf8',
    timeout: 110_000,
  });
  assert.equal(r.status, 0, r.stderr || r.stdout);
  const rows = [...r.stdout.matchAll(/^\| (\d+) +\| (\d[\d,]*) +\|/gm)].map((m) => Number(m[1]));
  assert.deepEqual(rows, [1, 25], r.stdout);
});
