import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { backends } from '../helpers/databases.js';
import { LeanStream } from '../helpers/stream-clients.js';
import { api, CallWriter, drillDatabase, signIn, startDrill, type Drill } from '../helpers/outage-drill.js';
import { sleep } from '../helpers/calls.js';

const CLIENTS = 2000;
const MEMBERS = 20;

// Every client of a node comes back at the same moment (a network blip, a node restarting) with the
// last id it has, while a member keeps calling: each must end with the whole sequence, once and in order.
for (const backend of await backends()) {
  describe(`${CLIENTS} clients reconnecting at once (${backend.name})`, { timeout: 10 * 60_000 }, () => {
    let d: Drill;
    let database: Awaited<ReturnType<typeof drillDatabase>>;

    before(
      async () => {
        database = await drillDatabase(backend);
        d = await startDrill(database.url, { ...database.env, STREAMS_PER_TOKEN: '1000', STREAMS_PER_IP: '1000000' });
      },
      { timeout: 5 * 60_000 },
    );
    after(async () => {
      await d?.close();
      await database?.close();
    });

    test(
      'dropped together, then cut by a restart of the node, every client resumes from its last id and ends with every event once',
      { timeout: 10 * 60_000 },
      async () => {
        const tokens = [d.token];
        for (let id = 2002; tokens.length < MEMBERS; id++) tokens.push(await signIn(d, id));
        const streams = Array.from(
          { length: CLIENTS },
          (_, i) =>
            new LeanStream(d.server.url, tokens[i % tokens.length], i % 2 === 0 ? 'sse' : 'ws', d.startSeq, {
              resume: { minMs: 0, maxMs: 250 },
            }),
        );
        const writer = new CallWriter(d, d.token);
        const started = performance.now();
        let head: number;
        try {
          for (let i = 0; i < streams.length; i += 100) await Promise.all(streams.slice(i, i + 100).map((s) => s.open()));
          writer.start();
          await writer.succeeded(10, 120_000);
          // The network drops every client at once: they come back within a quarter of a second.
          for (const s of streams) s.drop();
          await writer.succeeded(10, 120_000);
          await everyoneConnected(streams);
          // The node restarts (SIGTERM ends every stream): they come back to the new process.
          await d.restart('stop');
          await writer.succeeded(10, 120_000);
          await writer.stop();
          head = (await api(d.server, '/api/war', { token: d.token })).body.seq;
          const deadline = Date.now() + 60_000;
          while (streams.some((s) => s.lastId < head)) {
            const behind = streams.filter((s) => s.lastId < head);
            assert.ok(Date.now() < deadline, `${behind.length} clients short of ${head}, e.g. ${behind[0].kind} at ${behind[0].lastId}`);
            await sleep(100);
          }
        } finally {
          await writer.stop();
          for (const s of streams) s.stop();
        }
        const faults = streams.flatMap((s) => s.faults);
        assert.deepEqual(faults.slice(0, 10), [], `${faults.length} events out of sequence`);
        for (const s of streams) assert.equal(s.count, s.lastId - d.startSeq, 'every event once');
        const connections = streams.map((s) => s.connections);
        assert.ok(
          connections.every((n) => n >= 3),
          'every client connected at least three times',
        );
        assert.deepEqual(writer.unexpected, [], 'every call was answered 200 or 503');
        assert.deepEqual(
          d.server.errors().map((l) => l.msg),
          [],
        );
        console.log(
          `${CLIENTS} clients (${backend.name}): events ${d.startSeq + 1}…${head}, each client ${Math.min(...connections)}–` +
            `${Math.max(...connections)} connections, ${streams.reduce((n, s) => n + s.failures, 0)} refused attempts; ` +
            `calls ${JSON.stringify(Object.fromEntries(writer.statuses))}; ${((performance.now() - started) / 1000).toFixed(1)} s`,
        );
      },
    );
  });
}

/** Waits until every client has a connection open again. */
async function everyoneConnected(streams: LeanStream[], ms = 120_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (streams.some((s) => !s.connected)) {
    assert.ok(Date.now() < deadline, `${streams.filter((s) => !s.connected).length} clients still away after ${ms} ms`);
    await sleep(100);
  }
}
