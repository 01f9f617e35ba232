import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { createPgDatabase } from '../helpers/databases.js';
import { startServerProcess } from '../helpers/server-process.js';

test('workers that cannot serve (the port is taken) fail the start: exit 1, no retry loop', async () => {
  const taken = createServer();
  await new Promise<void>((r) => taken.listen(0, '127.0.0.1', () => r()));
  const port = (taken.address() as AddressInfo).port;
  const database = await createPgDatabase();
  try {
    await assert.rejects(
      startServerProcess({
        WORKERS: '2',
        PORT: String(port),
        DATABASE_URL: database.url,
        TORNCAT_SECRET: 'test-secret-0123456789abcdef-0123456789',
        TORN_API_URL: 'http://127.0.0.1:9',
      }),
      (e: Error) =>
        /exited before listening \(\{"code":1,"signal":null\}\)/.test(e.message) && /worker \d exited before serving/.test(e.message),
    );
  } finally {
    taken.close();
    await database.drop();
  }
});
