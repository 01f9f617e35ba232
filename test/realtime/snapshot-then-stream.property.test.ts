import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { backends } from '../helpers/databases.js';
import { startWarFixture, type WarFixture } from '../helpers/war-fixture.js';
import { SseClient } from '../helpers/stream-clients.js';
import { assertContiguous, sleep } from '../helpers/calls.js';

const MEMBERS = [2001, 2002, 2003, 2004];
const TARGETS = [3001, 3002, 3003, 3004, 3005, 3006];

const opArb = fc.record({ op: fc.constantFrom('call', 'release'), targetId: fc.constantFrom(...TARGETS) });
/** One list of single-op requests per member, run concurrently; and when to take the snapshot. */
const scenarioArb = fc.record({
  writers: fc.array(fc.array(opArb, { minLength: 1, maxLength: 6 }), { minLength: 2, maxLength: MEMBERS.length }),
  snapshotAfterMs: fc.integer({ min: 0, max: 40 }),
});

const byTarget = (calls: any[]) => [...calls].sort((a, b) => a.targetId - b.targetId);

for (const backend of await backends()) {
  describe(`snapshot then stream on ${backend.name}`, () => {
    let f: WarFixture;
    const tokens: string[] = [];

    before(async () => {
      f = await startWarFixture(backend);
      for (const id of MEMBERS) tokens.push(await f.signIn(id));
      await f.sync(1001);
    });
    after(() => f.close());

    test('under concurrent writers, a snapshot plus the stream from its seq rebuilds the next snapshot, every change exactly once', async () => {
      await fc.assert(
        fc.asyncProperty(scenarioArb, async ({ writers, snapshotAfterMs }) => {
          const writing = Promise.all(
            writers.map(async (ops, i) => {
              for (const op of ops) {
                const r = await f.api('/api/calls', { token: tokens[i], body: { ops: [op] } });
                assert.equal(r.status, 200);
              }
            }),
          );
          await sleep(snapshotAfterMs);
          const snap = (await f.api('/api/war', { token: tokens[0] })).body;
          const sse = await SseClient.connect(f.server.url, { token: tokens[1], lastEventId: snap.seq });
          await writing;
          const final = (await f.api('/api/war', { token: tokens[0] })).body;
          if (final.seq > snap.seq) await sse.until((e) => e.at(-1)?.id === final.seq);
          const polled = (await f.api(`/api/events?since=${snap.seq}&wait=0`, { token: tokens[2] })).body;
          await sleep(20);
          sse.close();
          assertContiguous(sse.events, snap.seq, final.seq);
          assertContiguous(polled.events, snap.seq, final.seq);

          const open = new Map<number, any>(snap.calls.map((c: any) => [c.targetId, c]));
          for (const e of sse.events) {
            assert.equal(e.event, 'target_call');
            const { warId, ...call } = e.data;
            assert.equal(warId, final.war.id);
            if (call.state === 'called') {
              assert.ok(!open.has(call.targetId), `target ${call.targetId} called twice at once (event ${e.id})`);
              open.set(call.targetId, call);
            } else {
              assert.equal(open.get(call.targetId)?.callerId, call.callerId, `event ${e.id} ends a call that was not open`);
              open.delete(call.targetId);
            }
          }
          assert.deepEqual(byTarget([...open.values()]), byTarget(final.calls));
        }),
        { numRuns: 12 },
      );
    });
  });
}
