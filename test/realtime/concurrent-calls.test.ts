import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { backends } from '../helpers/databases.js';
import { startWarFixture, type WarFixture } from '../helpers/war-fixture.js';
import { WsClient } from '../helpers/stream-clients.js';
import { readEvents } from '../../src/realtime/event-log.js';
import { snapshotSeq, sleep } from '../helpers/calls.js';

for (const backend of await backends()) {
  describe(`simultaneous callers on ${backend.name}`, () => {
    let f: WarFixture;
    const tokens = new Map<number, string>();

    before(async () => {
      f = await startWarFixture(backend);
      for (let id = 2001; id <= 2025; id++) tokens.set(id, await f.signIn(id));
      await f.sync(1001);
    });
    after(() => f.close());

    test('25 members calling one target at the same instant: exactly one wins, 24 get already_called naming the holder, one event', async () => {
      const before = await snapshotSeq(f, tokens.get(2001)!);
      const answers = await Promise.all(
        [...tokens].map(async ([id, token]) => ({
          id,
          r: await f.api('/api/calls', { token, body: { ops: [{ op: 'call', targetId: 3005 }] } }),
        })),
      );
      for (const { r } of answers) assert.equal(r.status, 200);
      const winners = answers.filter((a) => a.r.body.results[0].ok);
      assert.equal(winners.length, 1, JSON.stringify(answers.map((a) => a.r.body.results[0])));
      const winner = winners[0];
      const holder = { id: winner.id, name: winner.r.body.results[0].call.callerName };
      assert.equal(winner.r.body.results[0].call.callerId, winner.id);
      const losers = answers.filter((a) => a !== winner);
      assert.equal(losers.length, 24);
      for (const { r } of losers) {
        const res = r.body.results[0];
        assert.equal(res.error.code, 'already_called');
        assert.deepEqual(res.error.holder, holder);
        assert.ok(res.error.message.includes(holder.name) && res.error.message.includes(String(holder.id)), res.error.message);
      }
      const logged = await readEvents(f.db, 1001, before, 100);
      assert.deepEqual(
        logged.map((e) => [e.seq, e.event, e.data.targetId, e.data.callerId, e.data.state]),
        [[before + 1, 'target_call', 3005, winner.id, 'called']],
      );
      const snap = (await f.api('/api/war', { token: tokens.get(2001)! })).body;
      assert.deepEqual(
        snap.calls.map((c: any) => [c.targetId, c.callerId]),
        [[3005, winner.id]],
      );
    });

    test('the same race over WebSocket commands: one ok result, the rest already_called, one event on every stream', async () => {
      const seq = await snapshotSeq(f, tokens.get(2001)!);
      const clients = await Promise.all(
        [...tokens]
          .slice(0, 10)
          .map(async ([id, token]) => ({ id, ws: await WsClient.connect(f.server.url, { token, lastEventId: seq }) })),
      );
      const results = await Promise.all(clients.map(({ ws }) => ws.command({ type: 'call', targetId: 3006 })));
      assert.equal(results.filter((r) => r.ok).length, 1, JSON.stringify(results));
      assert.equal(results.filter((r) => r.error?.code === 'already_called').length, 9);
      for (const { ws } of clients) await ws.untilCount(1);
      await sleep(300);
      for (const { ws } of clients) {
        assert.deepEqual(
          ws.events.map((e) => [e.id, e.data.targetId, e.data.state]),
          [[seq + 1, 3006, 'called']],
        );
        ws.close();
      }
    });
  });
}
