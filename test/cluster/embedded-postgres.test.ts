import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { running, startServerProcess } from '../helpers/server-process.js';
import { oneShot } from './workers.js';

test(
  'with no DATABASE_URL and WORKERS=2, the primary runs the one embedded PostgreSQL both workers use, and stops it',
  { timeout: 120_000 },
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'torncat-cluster-embedded-'));
    // As root the embedded server runs as `postgres`, which must reach the data directory.
    chmodSync(dir, 0o755);
    try {
      const server = await startServerProcess({ WORKERS: '2', TORNCAT_DATA_DIR: join(dir, 'data'), TORN_API_URL: 'http://127.0.0.1:9' });
      try {
        const started = server.logs.filter((l) => l.msg === 'embedded PostgreSQL started');
        assert.equal(started.length, 1, 'one embedded PostgreSQL for the node');
        const postmaster = started[0].pid as number;
        assert.equal(server.logs.filter((l) => /^worker \d serving /.test(l.msg) && l.database === 'postgres').length, 2);
        const workers = new Set<string | undefined>();
        for (let i = 0; i < 4; i++) {
          const h = await oneShot(server.url, '/healthz');
          assert.equal(h.status, 200, JSON.stringify(h.body));
          workers.add(h.worker);
        }
        assert.deepEqual([...workers].sort(), ['1', '2']);
        await server.stop();
        assert.deepEqual(server.exit, { code: 0, signal: null });
        assert.equal(running(postmaster), false, 'the embedded PostgreSQL stopped with the node');
        assert.ok(
          server.logs.some((l) => l.msg === 'embedded PostgreSQL stopped'),
          'stopped by the primary, after its workers',
        );
      } finally {
        await server.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
