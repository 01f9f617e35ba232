import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { backends } from '../helpers/databases.js';
import { startWarFixture, type WarFixture } from '../helpers/war-fixture.js';
import { SseClient, WsClient } from '../helpers/stream-clients.js';
import { headSeq, readEvents } from '../../src/realtime/event-log.js';
import { snapshotSeq, sleep } from '../helpers/calls.js';

const call = (targetId: number) => ({ op: 'call', targetId });
const release = (targetId: number) => ({ op: 'release', targetId });

for (const backend of await backends()) {
  describe(`call lifecycle on ${backend.name}`, () => {
    let f: WarFixture;
    const t = new Map<number, string>();
    const token = (id: number) => t.get(id)!;
    const calls = (id: number, ops: unknown[]) => f.api('/api/calls', { token: token(id), body: { ops } });

    before(async () => {
      f = await startWarFixture(backend);
      for (const id of [2001, 2002, 2003, 2004, 3001]) t.set(id, await f.signIn(id));
      await f.sync(1001);
    });
    after(() => f.close());

    test('a target that goes to hospital after it was called emits target_status, then target_call with state hit', async () => {
      const seq = await snapshotSeq(f, token(2001));
      const sse = await SseClient.connect(f.server.url, { token: token(2002), lastEventId: seq });
      const r = await calls(2001, [call(3020)]);
      assert.equal(r.body.results[0].ok, true);
      const until = Math.floor(Date.now() / 1000) + 3600;
      await f.simControl('/__sim/players/3020/status', { state: 'Hospital', until, description: 'In hospital for 60 mins' });
      await f.sync(1001);
      await sse.until((e) => e.some((x) => x.data.state === 'hit'));
      await sleep(200);
      // The sync may also log a war_summary; the target's own events come in this order.
      const mine = sse.events.filter((e) => e.data.targetId === 3020);
      assert.deepEqual(
        mine.map((e) => [e.event, e.data.targetId, e.data.state]),
        [
          ['target_call', 3020, 'called'],
          ['target_status', 3020, 'Hospital'],
          ['target_call', 3020, 'hit'],
        ],
      );
      assert.equal(mine[0].id, seq + 1);
      assert.equal(mine[2].id, mine[1].id + 1, 'the hit follows the status change in the same transaction');
      assert.equal(mine[1].data.until, until);
      assert.equal(mine[2].data.callerId, 2001);
      const snap = (await f.api('/api/war', { token: token(2001) })).body;
      assert.equal(snap.seq, sse.events.at(-1)!.id);
      assert.ok(!snap.calls.some((c: any) => c.targetId === 3020), 'the hit call is no longer open');
      assert.equal(snap.targets.find((x: any) => x.id === 3020).status.state, 'Hospital');
      sse.close();
    });

    test('a sync with no status change writes no event', async () => {
      const seq = await headSeq(f.db, 1001);
      await f.sync(1001);
      assert.equal(await headSeq(f.db, 1001), seq);
    });

    test('WebSocket call and release commands get their result and the event', async () => {
      const seq = await snapshotSeq(f, token(2001));
      const ws = await WsClient.connect(f.server.url, { token: token(2001), lastEventId: seq });
      const other = await WsClient.connect(f.server.url, { token: token(2002), lastEventId: seq });
      const called = await ws.command({ type: 'call', targetId: 3021, ref: 'c1' });
      assert.equal(called.ref, 'c1');
      assert.equal(called.ok, true);
      assert.equal(called.call.targetId, 3021);
      assert.equal(called.call.callerId, 2001);
      assert.equal(called.call.state, 'called');
      assert.equal(called.seq, seq + 1);
      // A ref is a short string or a finite number (an object could nest deep enough to end the process).
      const refused = await other.command({ type: 'call', targetId: 3021, ref: 7 });
      assert.equal(refused.ref, 7);
      assert.equal(refused.ok, false);
      assert.equal(refused.error.code, 'already_called');
      const notYours = await other.command({ type: 'release', targetId: 3021 });
      assert.equal(notYours.error.code, 'not_your_call');
      const released = await ws.command({ type: 'release', targetId: 3021, ref: 'r1' });
      assert.equal(released.ok, true);
      assert.equal(released.call.state, 'released');
      assert.equal(released.seq, seq + 2);
      for (const c of [ws, other]) {
        await c.untilCount(2);
        assert.deepEqual(
          c.events.map((e) => [e.id, e.event, e.data.targetId, e.data.state]),
          [
            [seq + 1, 'target_call', 3021, 'called'],
            [seq + 2, 'target_call', 3021, 'released'],
          ],
        );
      }
      const bad = await ws.command({ type: 'steal', targetId: 3021, ref: 'x' });
      assert.equal(bad.ok, false);
      assert.equal(bad.error.code, 'invalid_request');
      const pong = await ws.command({ type: 'ping', ref: 'p' });
      assert.equal(pong.type, 'pong');
      ws.close();
      other.close();
    });

    test('a WebSocket is pinged every heartbeat (a protocol ping, 2 bytes) and one that never answers with a pong is cut', async () => {
      // heartbeatMs is 1000 in the fixture: each socket is pinged about once a second, and one that has
      // not answered the last ping by the next beat is terminated (close code 1006 on the client).
      const url = `${f.server.url.replace(/^http/, 'ws')}/ws?token=${token(2003)}`;
      const answering = new WebSocket(url);
      const silent = new WebSocket(url, { autoPong: false });
      const pings: Buffer[] = [];
      let silentPings = 0;
      answering.on('ping', (data: Buffer) => pings.push(data));
      silent.on('ping', () => silentPings++);
      const silentClosed = new Promise<number>((resolve) => silent.once('close', (code: number) => resolve(code)));
      for (const w of [answering, silent]) await new Promise((resolve, reject) => (w.once('open', resolve), w.once('error', reject)));
      assert.equal(await silentClosed, 1006);
      assert.ok(silentPings >= 1, 'the silent client was pinged before it was cut');
      const deadline = Date.now() + 10_000;
      while (pings.length < 3) {
        assert.ok(Date.now() < deadline, `pings after 10 s: ${pings.length}`);
        await sleep(50);
      }
      assert.equal(answering.readyState, WebSocket.OPEN, 'a client that answers stays');
      assert.ok(
        pings.every((p) => p.length === 0),
        'pings carry no payload',
      );
      answering.close();
    });

    test('POST /api/calls answers per op, in request order: ok, already_called, not_a_target, not_your_call, too_many_calls', async () => {
      const seq = await snapshotSeq(f, token(2001));
      assert.equal((await calls(2002, [call(3012)])).body.results[0].ok, true);
      const r = await calls(2001, [
        call(3012),
        call(2005),
        call(999_999),
        release(3012),
        call(3013),
        call(3014),
        call(3015),
        call(3016),
        release(3013),
      ]);
      assert.equal(r.status, 200);
      const res = r.body.results;
      assert.equal(res.length, 9);
      assert.equal(res[0].error.code, 'already_called');
      assert.deepEqual(res[0].error.holder, { id: 2002, name: res[0].error.holder.name });
      assert.equal(typeof res[0].error.holder.name, 'string');
      assert.equal(res[1].error.code, 'not_a_target', 'an own faction member is not a target');
      assert.equal(res[2].error.code, 'not_a_target');
      assert.equal(res[3].error.code, 'not_your_call');
      assert.equal(res[3].error.holder.id, 2002);
      assert.deepEqual(
        res.slice(4, 7).map((x: any) => [x.ok, x.call.targetId, x.call.state]),
        [
          [true, 3013, 'called'],
          [true, 3014, 'called'],
          [true, 3015, 'called'],
        ],
      );
      assert.equal(res[7].error.code, 'too_many_calls', 'the 4th open call is over the default limit of 3');
      assert.deepEqual([res[8].ok, res[8].call.state], [true, 'released']);
      for (const x of res.filter((x: any) => !x.ok)) assert.equal(typeof x.error.message, 'string');
      // 2002's call, then 2001's three calls and one release: five events, and seq says so
      assert.equal(r.body.seq, seq + 5);
      const logged = await readEvents(f.db, 1001, seq, 100);
      assert.deepEqual(
        logged.map((e) => [e.data.targetId, e.data.callerId, e.data.state]),
        [
          [3012, 2002, 'called'],
          [3013, 2001, 'called'],
          [3014, 2001, 'called'],
          [3015, 2001, 'called'],
          [3013, 2001, 'released'],
        ],
      );
      // with one released, a fourth call fits again
      assert.equal((await calls(2001, [call(3016)])).body.results[0].ok, true);
      await calls(2001, [release(3014), release(3015), release(3016)]);
      await calls(2002, [release(3012)]);
    });

    test('calling a target twice is idempotent: both ok with the same call, one event; releasing a free target changes nothing', async () => {
      const seq = await snapshotSeq(f, token(2003));
      const r = await calls(2003, [call(3017), call(3017)]);
      assert.deepEqual(r.body.results[0], r.body.results[1]);
      assert.equal(r.body.results[0].ok, true);
      const again = await calls(2003, [call(3017)]);
      assert.deepEqual(again.body.results[0], r.body.results[0]);
      assert.equal(r.body.seq, seq + 1);
      assert.equal(again.body.seq, seq + 1);
      assert.equal((await readEvents(f.db, 1001, seq, 10)).length, 1);
      const free = await calls(2003, [release(3018)]);
      assert.deepEqual(free.body, { results: [{ ok: true, call: null }], seq: seq + 1 });
      await calls(2003, [release(3017)]);
    });

    test('more than 50 ops is a 400 too_many_ops and writes nothing', async () => {
      const seq = await headSeq(f.db, 1001);
      const ops = Array.from({ length: 51 }, (_, i) => call(3001 + (i % 25)));
      const r = await calls(2004, ops);
      assert.equal(r.status, 400);
      assert.equal(r.body.error.code, 'too_many_ops');
      assert.equal(await headSeq(f.db, 1001), seq);
      const fifty = await calls(
        2004,
        Array.from({ length: 50 }, () => release(3001)),
      );
      assert.equal(fifty.status, 200);
      assert.equal(fifty.body.results.length, 50);
    });

    test('a malformed op is a 400 that names it, and the valid ops before it are not run', async () => {
      const seq = await headSeq(f.db, 1001);
      for (const bad of [
        { ops: [call(3019), { op: 'steal', targetId: 3019 }] },
        { ops: [call(3019), { op: 'call', targetId: '3019' }] },
        { ops: [call(3019), { op: 'call', targetId: -1 }] },
        { ops: [call(3019), { op: 'call' }] },
        { ops: [] },
        { ops: 'call 3019' },
        [call(3019)],
      ]) {
        const r = await f.api('/api/calls', { token: token(2004), body: bad });
        assert.equal(r.status, 400, JSON.stringify(bad));
        assert.equal(r.body.error.code, 'invalid_request', JSON.stringify(r.body));
      }
      const r = await calls(2004, [call(3019), { op: 'steal', targetId: 3019 }]);
      assert.match(r.body.error.message, /ops\[1\]/);
      const notJson = await f.api('/api/calls', { token: token(2004), body: '{"ops":[', headers: { 'content-type': 'application/json' } });
      assert.equal(notJson.status, 400);
      assert.equal(await headSeq(f.db, 1001), seq);
      const snap = (await f.api('/api/war', { token: token(2004) })).body;
      assert.ok(!snap.calls.some((c: any) => c.targetId === 3019));
    });

    // Restarts the server with CALL_TTL_MS=1000; only the war-ending test runs after it.
    test('a call past CALL_TTL_MS ends as expired, an event every member gets', async () => {
      await f.restart({ CALL_TTL_MS: '1000' });
      const member = token(2001);
      const seq = await snapshotSeq(f, member);
      const sse = await SseClient.connect(f.server.url, { token: member, lastEventId: seq });
      const r = await f.api('/api/calls', { token: member, body: { ops: [call(3003)] } });
      const made = r.body.results[0].call;
      assert.equal(made.expiresAt - made.at, 1);
      await sleep(1100);
      await f.server.housekeeping.expireNow();
      await sse.until((e) => e.length === 2);
      assert.deepEqual(
        sse.events.map((e) => [e.id, e.event, e.data.targetId, e.data.callerId, e.data.state]),
        [
          [seq + 1, 'target_call', 3003, 2001, 'called'],
          [seq + 2, 'target_call', 3003, 2001, 'expired'],
        ],
      );
      assert.equal(await f.server.housekeeping.expireNow(), 0, 'an expired call expires once');
      const snap = (await f.api('/api/war', { token: member })).body;
      assert.deepEqual(snap.calls, []);
      assert.equal(snap.seq, seq + 2);
      // the target is free again: calling it is a new call
      const again = await f.api('/api/calls', { token: member, body: { ops: [call(3003)] } });
      assert.equal(again.body.results[0].ok, true);
      assert.equal(again.body.seq, seq + 3);
      sse.close();
    });

    // Runs last: it ends the war.
    test('once the war has ended, call and release answer no_active_war', async () => {
      await calls(2001, [call(3022)]);
      await f.simControl('/__sim/wars/5001/end', {});
      await f.sync(1001);
      const seq = await headSeq(f.db, 1001);
      const r = await calls(2001, [call(3023), release(3022)]);
      assert.equal(r.status, 200);
      assert.deepEqual(
        r.body.results.map((x: any) => x.error?.code),
        ['no_active_war', 'no_active_war'],
      );
      assert.equal(await headSeq(f.db, 1001), seq);
      const ws = await WsClient.connect(f.server.url, { token: token(2001) });
      assert.equal((await ws.command({ type: 'call', targetId: 3023 })).error.code, 'no_active_war');
      ws.close();
    });
  });
}
