// The shell examples of the docs run as written in a clone: every npm script and `torncat` command they
// name exists, none goes through `npx torncat` (in a clone npx relinks and rebuilds the project first,
// racing whatever the next line starts), and the README's simulator walk-through runs whole.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const DOCS = ['README.md', 'bench/README.md', ...readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
const scripts = Object.keys((JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts);
const commands = [...readFileSync(join(root, 'src/cli.ts'), 'utf8').matchAll(/^ {2}(\w+) {2,}/gm)].map((m) => m[1]);

/** The `sh` blocks of a doc, one string each. */
function shellBlocks(doc: string): string[] {
  return [...readFileSync(join(root, doc), 'utf8').matchAll(/^```(?:sh|bash)\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
}

test('the CLI lists its commands (what the check below reads)', () => {
  assert.deepEqual(commands, ['serve', 'migrate', 'simulate', 'demo', 'bench']);
});

test('every npm script and torncat command a doc runs exists, and none is run through npx', () => {
  const wrong: string[] = [];
  for (const doc of DOCS) {
    for (const block of shellBlocks(doc)) {
      for (const [, script] of block.matchAll(/\bnpm run ([\w:-]+)/g)) if (!scripts.includes(script)) wrong.push(`${doc}: npm run ${script}`);
      for (const [, command] of block.matchAll(/(?:dist\/cli\.js|(?<![\w/.-])torncat) (\w+)/g))
        if (!commands.includes(command)) wrong.push(`${doc}: torncat ${command}`);
      if (/\bnpx torncat\b/.test(block)) wrong.push(`${doc}: npx torncat (rebuilds the project in a clone)`);
    }
  }
  assert.deepEqual(wrong, []);
});

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

test("the README's simulator walk-through runs whole: sign-in, snapshot, a call, the stream, the long-poll", async (t) => {
  const block = shellBlocks('README.md').find((b) => b.includes('simulate'));
  assert.ok(block, 'the README has the walk-through');
  // Each step's output is checked below (the stream's curl ends on its time limit, not with 0).
  // As written, but on free ports (the machine may run other servers: PORT moves the server off its
  // default 8080), with the stream given 3 s (a reader ends it with Ctrl-C) and the database in memory.
  const [sim, server] = [await freePort(), await freePort()];
  const script = block
    .replaceAll('8090', String(sim))
    .replaceAll('8080', String(server))
    .replace('curl -sN ', 'curl -sN --max-time 3 ');
  const child = spawn('bash', ['-c', `${script}\necho; echo WALKTHROUGH-DONE`], {
    cwd: root,
    detached: true,
    env: { ...process.env, PORT: String(server), DATABASE_URL: 'memory://', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  t.after(() => {
    // The walk-through leaves the simulator and the server running in the background, as a reader's shell would.
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      /* already gone */
    }
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d));
  child.stderr.on('data', (d: Buffer) => (out += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), 100_000);
  const [code] = (await once(child, 'exit')) as [number | null];
  clearTimeout(timer);
  assert.equal(code, 0, out);
  assert.match(out, /WALKTHROUGH-DONE/);
  assert.match(out, /"seq":\d+,"me":\{"id":2001/, 'the snapshot');
  assert.match(out, /\{"results":\[\{"ok":true,"call":\{"targetId":3001/, 'the call');
  assert.match(out, /^event: target_call$/m, 'the SSE stream carried the call');
  assert.match(out, /\{"events":\[\{"id":1,/, 'the long-poll, from since=0');
});
