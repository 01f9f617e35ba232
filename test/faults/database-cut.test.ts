import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { PG_ADMIN_URL, createPgDatabase, postgresReachable } from '../helpers/databases.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';
import { assertOutageAnswers, drillRounds, startDrill, type Drill } from '../helpers/outage-drill.js';

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
      const report = await drillRounds(d, CUTS, async (i) => {
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
      });
      console.log(`${CUTS} cuts, 0 crashes; ${report.summary}`);
    });
  });
}
