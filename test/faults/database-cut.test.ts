import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { PG_ADMIN_URL, createPgDatabase, postgresReachable } from '../helpers/databases.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';
import { ResumingStream } from '../helpers/resuming-streams.js';
import {
  CallWriter,
  assertOutageAnswers,
  assertStreamsWhole,
  headSeq,
  startDrill,
  waitPolling,
  waitRecovered,
  type Drill,
} from '../helpers/outage-drill.js';

const CUTS = 10;

// The network between the server and PostgreSQL is cut, not the server: a proxy in between drops
// every connection or refuses new ones. The shared PostgreSQL itself is never touched.
const reachable = await postgresReachable();
if (!reachable) test('cutting the database network', (t) => t.skip(`no PostgreSQL at ${PG_ADMIN_URL} (CI=true makes this a failure)`));
else {
  describe('a server whose connections to PostgreSQL are cut again and again', () => {
    let proxy: TcpProxy;
    let database: { url: string; drop(): Promise<void> };
    let d: Drill;

    before(async () => {
      database = await createPgDatabase();
      const direct = new URL(database.url);
      proxy = await startTcpProxy({ host: direct.hostname, port: Number(direct.port || 5432) });
      const viaProxy = new URL(database.url);
      viaProxy.port = String(proxy.port);
      d = await startDrill(viaProxy.toString());
    });
    after(async () => {
      await d?.close();
      await proxy?.close();
      await database?.drop();
    });

    test(`${CUTS} cuts with streams open and calls going on: the process lives, answers 503 while cut off, and every event reaches every stream once`, async () => {
      const sse = ResumingStream.sse(d.server.url, d.token, d.startSeq);
      const ws = ResumingStream.ws(d.server.url, d.token, d.startSeq);
      const poll = ResumingStream.poll(d.server.url, d.token, d.startSeq);
      const writer = new CallWriter(d.server, d.token);
      writer.start();
      const recoveries: number[] = [];
      let head: number;
      try {
        await writer.succeeded(5);
        for (let i = 0; i < CUTS; i++) {
          assert.ok(proxy.connections > 0, 'the server is connected through the proxy');
          if (i % 2 === 0) {
            // Every connection dies at once (resets mid-query, mid-transaction, LISTEN, the lock)
            // and new ones go through: only what was in flight fails.
            proxy.dropAll();
          } else {
            // Cut off: new connections refused (ECONNREFUSED), or accepted and closed at once
            // (the server ends them during start-up).
            await proxy.down(i % 4 === 1 ? 'refuse' : 'reset');
            await assertOutageAnswers(d);
            await proxy.up();
          }
          recoveries.push(await waitRecovered(d));
          assert.equal(d.server.exit, undefined, `the server died at cut ${i + 1}:\n${d.server.stderr}`);
          await writer.succeeded(3);
        }
        await waitPolling(d);
        await writer.stop();
        head = await headSeq(database.url);
        await assertStreamsWhole([sse, ws, poll], d.startSeq, head);
      } finally {
        // Left running, they would keep the test process alive after a failure.
        await Promise.all([writer.stop(), sse.stop(), ws.stop(), poll.stop()]);
      }

      assert.equal(d.server.exit, undefined, `the server died:\n${d.server.stderr}`);
      assert.deepEqual(writer.unexpected, [], 'every call was answered 200 or 503');
      assert.deepEqual(
        d.server.errors().map((l) => l.msg),
        [],
        'an outage is not a bug: nothing logged at error level',
      );
      assert.ok(Math.max(...recoveries) < 10_000, `recovered each time within 10 s: ${recoveries.join(', ')} ms`);
      console.log(
        `${CUTS} cuts, 0 crashes; calls ${JSON.stringify(Object.fromEntries(writer.statuses))}; ` +
          `events ${d.startSeq + 1}…${head}; stream connections sse ${sse.connections}, ws ${ws.connections}; recovery ms ${recoveries.join(' ')}`,
      );
    });
  });
}
