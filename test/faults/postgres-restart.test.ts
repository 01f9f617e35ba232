import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createPgDatabase } from '../helpers/databases.js';
import { privatePostgresUnavailable, startPrivatePostgres, type PrivatePostgres } from '../helpers/private-postgres.js';
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

const RESTARTS = 10;

// Restarting the shared server at 127.0.0.1:5432 would break every other suite running against it:
// this one starts a PostgreSQL of its own.
const unavailable = await privatePostgresUnavailable();
if (unavailable) test('PostgreSQL restarts', (t) => t.skip(`${unavailable} (CI=true makes this a failure)`));
else {
  describe('a server whose PostgreSQL restarts again and again', () => {
    let postgres: PrivatePostgres;
    let databaseUrl: string;
    let d: Drill;

    before(async () => {
      postgres = await startPrivatePostgres();
      databaseUrl = (await createPgDatabase(postgres.adminUrl)).url;
      d = await startDrill(databaseUrl);
    });
    after(async () => {
      await d?.close();
      await postgres?.close();
    });

    test(`${RESTARTS} restarts with streams open and calls going on: the process lives, answers 503 while the database is away, and every event reaches every stream once`, async () => {
      const sse = ResumingStream.sse(d.server.url, d.token, d.startSeq);
      const ws = ResumingStream.ws(d.server.url, d.token, d.startSeq);
      const poll = ResumingStream.poll(d.server.url, d.token, d.startSeq);
      const writer = new CallWriter(d.server, d.token);
      writer.start();
      const recoveries: number[] = [];
      let head: number;
      try {
        await writer.succeeded(5);
        for (let i = 0; i < RESTARTS; i++) {
          // Even rounds restart under load (`pg_ctlcluster … restart`: the crash); odd ones
          // keep the server down long enough to check the answers; two are crashes, not shutdowns.
          const mode = i === RESTARTS - 1 || i === RESTARTS - 2 ? 'immediate' : 'fast';
          if (i % 2 === 0) {
            await postgres.restart(mode);
          } else {
            await postgres.stop(mode);
            await assertOutageAnswers(d);
            await postgres.start();
          }
          recoveries.push(await waitRecovered(d));
          assert.equal(d.server.exit, undefined, `the server died at restart ${i + 1}:\n${d.server.stderr}`);
          await writer.succeeded(3);
        }
        await waitPolling(d);
        await writer.stop();
        head = await headSeq(databaseUrl);
        await assertStreamsWhole([sse, ws, poll], d.startSeq, head);
      } finally {
        // Left running, they would keep the test process alive after a failure.
        await Promise.all([writer.stop(), sse.stop(), ws.stop(), poll.stop()]);
      }

      assert.equal(d.server.exit, undefined, `the server died:\n${d.server.stderr}`);
      assert.deepEqual(writer.unexpected, [], 'every call was answered 200 or 503');
      assert.ok((writer.statuses.get(503) ?? 0) > 0, `some calls met the outage: ${JSON.stringify([...writer.statuses])}`);
      assert.deepEqual(
        d.server.errors().map((l) => l.msg),
        [],
        'an outage is not a bug: nothing logged at error level',
      );
      // Recovery is the listener's back-off (0.5 s, 1 s, 2 s … with jitter) after the database is back.
      assert.ok(Math.max(...recoveries) < 10_000, `recovered each time within 10 s: ${recoveries.join(', ')} ms`);
      console.log(
        `${RESTARTS} restarts, 0 crashes; calls ${JSON.stringify(Object.fromEntries(writer.statuses))}; ` +
          `events ${d.startSeq + 1}…${head}; stream connections sse ${sse.connections}, ws ${ws.connections}; recovery ms ${recoveries.join(' ')}`,
      );
    });
  });
}
