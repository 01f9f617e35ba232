import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sharedBackends } from '../helpers/databases.js';
import { CallWriter, startDrill, type Drill } from '../helpers/outage-drill.js';
import { ResumingStream } from '../helpers/resuming-streams.js';
import { assertContiguous, sleep } from '../helpers/calls.js';
import { running } from '../helpers/server-process.js';
import { workerPids } from './workers.js';

// A worker killed outright (the OOM killer, a crash in native code): the primary starts another,
// the dead worker's streams stop counting against the caps, and its clients resume on the other
// worker (or the new one) from their last id with nothing lost. Then SIGTERM stops the whole node.
for (const backend of await sharedBackends()) {
  describe(`WORKERS=2: a worker killed with SIGKILL (${backend.name})`, { timeout: 60_000 }, () => {
    let d: Drill;
    let database: Awaited<ReturnType<typeof backend.open>>;
    before(async () => {
      database = await backend.open({ migrated: false });
      // The four streams below fill the token's cap: were the dead worker's left counted, its clients could never come back.
      d = await startDrill(database.url, { WORKERS: '2', STREAMS_PER_TOKEN: '4' });
    });
    after(async () => {
      await d?.close();
      await database?.close();
    });

    test('it is replaced, its streams are given back, and every client resumes with every event once', async () => {
      const streams = [
        ResumingStream.sse(d.server.url, d.token, d.startSeq),
        ResumingStream.sse(d.server.url, d.token, d.startSeq),
        ResumingStream.ws(d.server.url, d.token, d.startSeq),
        ResumingStream.ws(d.server.url, d.token, d.startSeq),
      ];
      const writer = new CallWriter(d, d.token);
      writer.start();
      await writer.succeeded(5);
      const before = workerPids(d.server.logs);
      assert.equal(before.size, 2);
      process.kill(before.get(1)!, 'SIGKILL');

      const deadline = Date.now() + 30_000;
      while (!d.server.logs.some((l) => l.msg === 'worker 1 replaced')) {
        assert.ok(Date.now() < deadline, 'worker 1 was not replaced');
        await sleep(100);
      }
      const died = d.server.logs.find((l) => l.msg === 'worker 1 died: starting another');
      assert.equal(died?.signal, 'SIGKILL');
      const after = workerPids(d.server.logs);
      assert.notEqual(after.get(1), before.get(1), 'a new process');
      assert.equal(after.get(2), before.get(2), 'worker 2 served on');

      await writer.succeeded(5);
      await writer.stop();
      const last = (await (await fetch(`${d.server.url}/api/war`, { headers: { authorization: `Bearer ${d.token}` } })).json())
        .seq as number;
      for (const s of streams) {
        await s.until(last);
        // The poller may write on after `last` was read: those events must follow on too.
        assertContiguous(s.events, d.startSeq, Math.max(last, s.lastId));
      }
      assert.ok(
        streams.some((s) => s.connections > 1),
        'some clients were on the killed worker and came back',
      );
      for (const s of streams) await s.stop();

      // SIGTERM: every worker stops, then the primary, with exit code 0.
      const pids = [...after.values()];
      await d.server.stop();
      assert.deepEqual(d.server.exit, { code: 0, signal: null });
      assert.deepEqual(
        pids.filter((pid) => running(pid)),
        [],
        'no worker outlives the primary',
      );
      assert.deepEqual(
        d.server.errors().map((l) => l.msg),
        ['worker 1 died: starting another'],
      );
    });
  });
}
