import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { PG_ADMIN_URL, sharedBackends } from '../helpers/databases.js';
import { dedicatedPids } from '../helpers/backend-pids.js';
import type { WarFixture } from '../helpers/war-fixture.js';
import { startWarRead } from '../helpers/war-read.js';
import { SseClient, WsClient } from '../helpers/stream-clients.js';
import { assertContiguous, makeChanges, sleep, snapshotSeq } from '../helpers/calls.js';

const shared = await sharedBackends();
if (shared.length === 0)
  test('LISTEN recovery needs PostgreSQL', (t) => t.skip(`no PostgreSQL at ${PG_ADMIN_URL} (CI=true makes this a failure)`));

for (const backend of shared) {
  describe(`LISTEN connection recovery on ${backend.name}`, () => {
    let f: WarFixture;
    let member: string;

    before(async () => {
      // The catch-up timer is set far away: what the clients get must come from NOTIFY and from the
      // catch-up the listener runs when it reconnects.
      ({ f, token: member } = await startWarRead(backend, { server: { catchUpIntervalMs: 60_000 } }));
    });
    after(() => f.close());

    async function terminateListener(): Promise<number> {
      const pids = await dedicatedPids(f.db, 'LISTEN');
      assert.equal(pids.length, 1, 'one LISTEN connection per node');
      const r = await f.db.query<{ ok: boolean }>('select pg_terminate_backend($1) as ok', [pids[0]]);
      assert.equal(r.rows[0].ok, true);
      return pids[0];
    }

    async function listeningAgain(old: number): Promise<number> {
      const deadline = Date.now() + 10_000;
      while (Date.now() < deadline) {
        const [pid] = await dedicatedPids(f.db, 'LISTEN');
        if (pid !== undefined && pid !== old && f.server.ctx.listener.listening) return pid;
        await sleep(50);
      }
      throw new Error('the listener did not reconnect within 10 s');
    }

    test('changes made while the LISTEN connection is down reach every client once it reconnects, none lost or doubled', async () => {
      const seq = await snapshotSeq(f, member);
      const sse = await SseClient.connect(f.server.url, { token: member, lastEventId: seq });
      const ws = await WsClient.connect(f.server.url, { token: member, lastEventId: seq });
      const poll = f.api(`/api/events?since=${seq}&wait=20`, { token: member });
      await sleep(100);
      const old = await terminateListener();
      const end = await makeChanges(f, member, 20);
      await sse.until((e) => e.at(-1)?.id === end);
      await ws.until(() => ws.events.at(-1)?.id === end);
      const polled = (await poll).body;
      assert.ok(polled.events.length >= 1);
      assertContiguous(polled.events, seq, polled.seq);
      const pid = await listeningAgain(old);
      assert.notEqual(pid, old);
      // live delivery works again on the new connection
      const next = await makeChanges(f, member, 2);
      await sse.until((e) => e.at(-1)?.id === next);
      await ws.until(() => ws.events.at(-1)?.id === next);
      await sleep(200);
      assertContiguous(sse.events, seq, next);
      assertContiguous(ws.events, seq, next);
      sse.close();
      ws.close();
    });

    test('the listener survives being terminated several times in a row', async () => {
      const seq = await snapshotSeq(f, member);
      const sse = await SseClient.connect(f.server.url, { token: member, lastEventId: seq });
      let end = seq;
      for (let i = 0; i < 3; i++) {
        const old = await terminateListener();
        end = await makeChanges(f, member, 3);
        await listeningAgain(old);
      }
      await sse.until((e) => e.at(-1)?.id === end);
      await sleep(200);
      assertContiguous(sse.events, seq, end);
      sse.close();
      await makeChanges(f, member, 1);
    });
  });
}
