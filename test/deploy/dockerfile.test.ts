// No container engine runs here, so the image is checked without building it: the Dockerfile's run
// stage is read, and its command is run as the image would run it (tini as PID 1's stand-in parent,
// the image's environment, the built dist/) and stopped as `docker stop` stops it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const TINI = '/usr/bin/tini';

/** The run stage (the last FROM) as instruction → arguments, continuation lines joined, comments dropped. */
function runStage(): { instruction: string; args: string }[] {
  const text = readFileSync(`${root}/Dockerfile`, 'utf8').replace(/\\\n/g, ' ');
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const [instruction, ...rest] = l.split(/\s+/);
      return { instruction: instruction.toUpperCase(), args: rest.join(' ') };
    });
  const last = lines.map((l) => l.instruction).lastIndexOf('FROM');
  return lines.slice(last);
}

const stage = runStage();
const exec = (name: string): string[] => JSON.parse([...stage].reverse().find((l) => l.instruction === name)?.args ?? '[]') as string[];

test('the image runs node under tini, not npm, so that `docker stop` reaches TornCat', () => {
  assert.deepEqual(exec('ENTRYPOINT'), [TINI, '--']);
  assert.deepEqual(exec('CMD'), ['node', 'dist/cli.js', 'serve']);
  assert.ok(
    stage.some((l) => l.instruction === 'RUN' && /apt-get install\b.*\btini\b/.test(l.args)),
    'tini comes from Debian in the run stage',
  );
});

test('every file the run stage copies from the repository exists', () => {
  for (const l of stage.filter((s) => s.instruction === 'COPY' && !s.args.startsWith('--from'))) {
    const sources = l.args.split(/\s+/).slice(0, -1);
    for (const s of sources) assert.ok(existsSync(`${root}/${s}`), `COPY ${s}`);
  }
});

test(
  "the image's command, run with its environment under tini, serves and stops on SIGTERM with exit 0",
  { skip: !existsSync(TINI) && !process.env.CI ? `no ${TINI} (apt-get install tini; .ci/run does)` : false },
  async (t) => {
    const env: Record<string, string> = {};
    for (const l of stage.filter((s) => s.instruction === 'ENV'))
      for (const [, k, v] of l.args.matchAll(/(\w+)=(\S+)/g)) env[k] = v;
    assert.equal(env.NODE_ENV, 'production');
    const child = spawn(TINI, ['--', ...exec('CMD')], {
      cwd: root,
      // The data directory is /data in the image; here the database is in memory. Not being PID 1
      // here, tini is made a subreaper instead (TINI_SUBREAPER), as it would otherwise warn.
      env: { PATH: process.env.PATH, TINI_SUBREAPER: '1', ...env, PORT: '0', HOST: '127.0.0.1', TORNCAT_DATA_DIR: '', DATABASE_URL: 'memory://' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    t.after(() => void child.kill('SIGKILL'));
    let out = '';
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no start within 90 s: ${out}${err}`)), 90_000);
      child.stdout.on('data', (d: Buffer) => {
        out += d;
        const m = /listening on (http:\/\/[^\s"]+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      });
    });
    assert.equal((await fetch(url + '/healthz')).status, 200);
    child.kill('SIGTERM');
    assert.equal(await exited, 0, out + err);
    const lines = out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { msg: string });
    assert.ok(lines.some((l) => l.msg === 'SIGTERM: shutting down'), 'TornCat itself got the signal (NODE_ENV=production: JSON lines)');
    assert.equal(err, '');
  },
);
