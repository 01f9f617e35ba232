import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServerProcess } from '../helpers/server-process.js';
import { createPgDatabase } from '../helpers/databases.js';

/** Starts `torncat serve`, asks /healthz, stops it: what it said about workers, and how it ended. */
async function serveAndLook(
  env: Record<string, string>,
): Promise<{ reason: string | undefined; workerLines: number; workerHeader: string | null; exit: unknown }> {
  const server = await startServerProcess({ TORN_API_URL: 'http://127.0.0.1:9', ...env });
  const res = await fetch(`${server.url}/healthz`);
  await res.body?.cancel();
  const reason = server.logs.find((l) => l.workers !== undefined)?.msg;
  await server.stop();
  const workerLines = server.logs.filter((l) => l.worker !== undefined).length;
  return { reason, workerLines, workerHeader: res.headers.get('x-torncat-worker'), exit: server.exit };
}

test('WORKERS=1 on PostgreSQL serves from one process, as before: no workers, no worker header, exit 0 on SIGTERM', async () => {
  const database = await createPgDatabase();
  const r = await serveAndLook({
    WORKERS: '1',
    DATABASE_URL: database.url,
    TORNCAT_SECRET: 'test-secret-0123456789abcdef-0123456789',
  }).finally(() => database.drop());
  assert.equal(r.reason, 'WORKERS=1: one process');
  assert.equal(r.workerHeader, null);
  assert.equal(r.workerLines, 0, 'no worker process logged');
  assert.deepEqual(r.exit, { code: 0, signal: null });
});

test('PGlite lives in one process: WORKERS=4 with DATABASE_URL=memory:// runs one, and says why', async () => {
  const r = await serveAndLook({ WORKERS: '4', DATABASE_URL: 'memory://' });
  assert.equal(r.reason, 'PGlite (DATABASE_URL=memory://) lives in one process: one worker');
  assert.equal(r.workerHeader, null);
  assert.equal(r.workerLines, 0, 'no worker process logged');
  assert.deepEqual(r.exit, { code: 0, signal: null });
});
