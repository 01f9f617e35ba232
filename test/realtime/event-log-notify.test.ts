import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { backends } from '../helpers/databases.js';
import type { Database } from '../../src/db/database.js';
import { headSeq, readEvents } from '../../src/realtime/event-log.js';
import { appendMarker } from '../helpers/log-markers.js';
import { EVENTS_CHANNEL } from '../../src/realtime/listener.js';
import { sleep } from '../helpers/calls.js';

for (const backend of await backends()) {
  describe(`event log and NOTIFY trigger on ${backend.name}`, () => {
    let db: Database;
    let close: () => Promise<void>;
    let stopListening: () => Promise<void>;
    const notified: { factionId: number; seq: number }[] = [];
    const payloads: string[] = [];

    before(async () => {
      ({ db, close } = await backend.open());
      const l = await db.listen(EVENTS_CHANNEL, {
        onNotify: (p) => {
          payloads.push(p);
          notified.push(JSON.parse(p));
        },
        onError: () => {},
      });
      stopListening = () => l.close();
    });
    after(async () => {
      await stopListening();
      await close();
    });

    const settle = async () => {
      await sleep(150);
      return notified.splice(0);
    };

    test('one transaction writing many events notifies once per faction, with its last seq, in a small payload', async () => {
      await db.transaction(async (tx) => {
        for (let i = 0; i < 25; i++) await appendMarker(tx, 1001, 'target_status', { i });
        for (let i = 0; i < 2; i++) await appendMarker(tx, 1002, 'target_status', { i });
      });
      const got = await settle();
      assert.deepEqual(
        got.sort((a, b) => a.factionId - b.factionId),
        [
          { factionId: 1001, seq: 25 },
          { factionId: 1002, seq: 2 },
        ],
      );
      assert.ok(payloads.every((p) => Buffer.byteLength(p) < 100));
    });

    test('a rolled-back transaction neither notifies nor uses up a seq: the log stays gap-free', async () => {
      await assert.rejects(
        db.transaction(async (tx) => {
          await appendMarker(tx, 1001, 'target_status', { doomed: true });
          throw new Error('roll back');
        }),
        /roll back/,
      );
      assert.deepEqual(await settle(), []);
      const seq = await db.transaction((tx) => appendMarker(tx, 1001, 'target_status', { after: true }));
      assert.equal(seq, 26);
      assert.deepEqual(await settle(), [{ factionId: 1001, seq: 26 }]);
      assert.deepEqual(
        (await readEvents(db, 1001, 0, 100)).map((e) => e.seq),
        Array.from({ length: 26 }, (_, i) => i + 1),
      );
    });

    test('a transaction that writes no event does not notify', async () => {
      await db.transaction(async (tx) => {
        await tx.query('select 1');
      });
      assert.deepEqual(await settle(), []);
    });

    test('concurrent writers of one faction get seqs in commit order', async () => {
      const before = await headSeq(db, 1001);
      let releaseA!: () => void;
      const aHolds = new Promise<void>((r) => (releaseA = r));
      const order: string[] = [];
      const a = db.transaction(async (tx) => {
        const seq = await appendMarker(tx, 1001, 'target_status', { who: 'a' });
        await aHolds;
        order.push('a');
        return seq;
      });
      await sleep(50);
      const b = db.transaction(async (tx) => {
        const seq = await appendMarker(tx, 1001, 'target_status', { who: 'b' });
        order.push('b');
        return seq;
      });
      await sleep(100);
      // b cannot have taken a seq while a holds the counter row (or, on PGlite, the one connection)
      assert.deepEqual(order, []);
      releaseA();
      assert.deepEqual([await a, await b], [before + 1, before + 2]);
      assert.deepEqual(order, ['a', 'b']);
      const got = await settle();
      assert.deepEqual(
        got.map((n) => n.seq).sort((x, y) => x - y),
        [before + 1, before + 2],
      );
    });
  });
}
