import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { backends } from '../helpers/databases.js';
import { demoKey, type WarFixture } from '../helpers/war-fixture.js';
import { startWarRead } from '../helpers/war-read.js';
import { SseClient, WsClient } from '../helpers/stream-clients.js';
import { makeChanges, sleep, snapshotSeq } from '../helpers/calls.js';
import { CLOSE_SESSION_ENDED } from '../../src/server/transports/websocket.js';

/** Close codes of WebSockets, recorded from the moment they open: a close can come before a test waits for it. */
const closes = new WeakMap<WsClient, Promise<number>>();

function watchClose(ws: WsClient): WsClient {
  closes.set(ws, new Promise((resolve) => ws.ws.once('close', (code) => resolve(code))));
  return ws;
}

/** Resolves with the WebSocket's close code, or rejects when it is still open after `ms`. */
function closeCode(ws: WsClient, ms: number): Promise<number> {
  const closed = closes.get(ws) ?? closes.get(watchClose(ws))!;
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`WebSocket still open after ${ms} ms`)), ms);
    void closed.then((code) => {
      clearTimeout(t);
      resolve(code);
    });
  });
}

async function sseClosedWithin(sse: SseClient, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!sse.closed) {
    if (Date.now() > deadline) throw new Error(`SSE stream still open after ${ms} ms`);
    await sleep(20);
  }
}

/** Opens an SSE stream, a WebSocket and a waiting long-poll on one token. */
async function openAll(f: WarFixture, token: string) {
  const seq = await snapshotSeq(f, token);
  const sse = await SseClient.connect(f.server.url, { token, lastEventId: seq });
  const ws = watchClose(await WsClient.connect(f.server.url, { token, lastEventId: seq }));
  const poll = f.api(`/api/events?since=${seq}&wait=25`, { token });
  // The long-poll is registered once its request reached the server.
  await sleep(150);
  return { seq, sse, ws, poll };
}

async function assertAllEndWithin1s(f: WarFixture, streams: Awaited<ReturnType<typeof openAll>>, token: string): Promise<void> {
  const started = Date.now();
  const [code, firstPoll] = await Promise.all([closeCode(streams.ws, 1000), streams.poll, sseClosedWithin(streams.sse, 1000)]);
  let polled = firstPoll;
  // A sync that removes the member also writes events in the same commit: the waiting long-poll
  // may carry those; its next poll must be refused.
  if (polled.status === 200) polled = await f.api(`/api/events?since=${polled.body.seq}&wait=0`, { token });
  assert.equal(code, CLOSE_SESSION_ENDED);
  assert.equal(polled.status, 401, JSON.stringify(polled.body));
  assert.equal(polled.body.error.code, 'unauthorized');
  assert.ok(Date.now() - started < 1000, `took ${Date.now() - started} ms`);
}

for (const backend of await backends()) {
  describe(`a member's rights are re-checked, not cached, on ${backend.name}`, () => {
    let f: WarFixture;

    before(async () => {
      ({ f } = await startWarRead(backend));
    });
    after(() => f.close());

    test('signing out closes that session’s SSE, WebSocket and long-poll within 1 s; another session of the member lives on', async () => {
      const leaving = await f.signIn(2002);
      const staying = await f.signIn(2002);
      const streams = await openAll(f, leaving);
      const other = await SseClient.connect(f.server.url, { token: staying, lastEventId: streams.seq });

      const out = await f.api('/api/auth', { method: 'DELETE', token: leaving });
      assert.equal(out.status, 200);
      await assertAllEndWithin1s(f, streams, leaving);

      assert.equal((await f.api('/api/war', { token: leaving })).status, 401);
      const end = await makeChanges(f, staying, 2, 3011);
      await other.until((e) => e.at(-1)?.id === end);
      assert.equal(other.closed, false);
      other.close();
    });

    test('a WebSocket command re-checks the session: one that ended without a word is refused and the socket closes', async () => {
      const token = await f.signIn(2003);
      const ws = watchClose(await WsClient.connect(f.server.url, { token }));
      const ok = await ws.command({ type: 'call', targetId: 3012 });
      assert.equal(ok.ok, true, JSON.stringify(ok));
      // Expired in place: no row deleted, so no NOTIFY; only the re-check at the command can see it.
      await f.db.query(`update sessions set expires_at = now() - interval '1 second' where player_id = 2003`);
      const closing = closeCode(ws, 2000);
      const refused = await ws.command({ type: 'release', targetId: 3012 });
      assert.equal(refused.ok, false);
      assert.equal(refused.error.code, 'unauthorized');
      assert.equal(await closing, CLOSE_SESSION_ENDED);
      const calls = await f.db.query<{ state: string }>(`select state from calls where caller_id = 2003 and target_id = 3012`);
      assert.deepEqual(
        calls.rows.map((r) => r.state),
        ['called'],
        'the refused release wrote nothing',
      );
    });

    test('a ping re-checks the session too: one that ended without a word is refused and the socket closes', async () => {
      const token = await f.signIn(2008);
      const ws = watchClose(await WsClient.connect(f.server.url, { token }));
      assert.equal((await ws.command({ type: 'ping', ref: 'before' })).type, 'pong');
      await f.db.query(`update sessions set expires_at = now() - interval '1 second' where player_id = 2008`);
      const closing = closeCode(ws, 2000);
      const refused = await ws.command({ type: 'ping', ref: 'after' });
      assert.equal(refused.type, 'result', JSON.stringify(refused));
      assert.equal(refused.error.code, 'unauthorized');
      assert.equal(await closing, CLOSE_SESSION_ENDED);
    });

    test('a member who moves to another faction and signs in there loses the old faction’s board, streams and calls at once', async () => {
      const old = await f.signIn(2004);
      const streams = await openAll(f, old);
      await f.simControl('/__sim/players/2004/faction', { factionId: 1002 });
      const r = await f.api('/api/auth', { body: { apiKey: demoKey(2004) } });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.faction.id, 1002);
      await assertAllEndWithin1s(f, streams, old);

      assert.equal((await f.api('/api/war', { token: old })).status, 401);
      const call = await f.api('/api/calls', { token: old, body: { ops: [{ op: 'call', targetId: 3013 }] } });
      assert.equal(call.status, 401);
      const mine = await f.api('/api/war', { token: r.body.token });
      assert.equal(mine.status, 200);
      assert.equal(mine.body.me.id, 2004);
      await f.simControl('/__sim/players/2004/faction', { factionId: 1001 });
    });

    test('the own-faction refresh that finds a member gone closes their streams within 1 s', async () => {
      const token = await f.signIn(2005);
      const streams = await openAll(f, token);
      await f.simControl('/__sim/players/2005/faction', { factionId: null });
      const started = Date.now();
      await f.sync(1001);
      await assertAllEndWithin1s(f, streams, token);
      assert.ok(Date.now() - started < 3000);
      assert.equal((await f.api('/api/war', { token })).status, 401);
    });

    test('20 back-to-back resumes leave one subscription: every later event arrives exactly once, and none remain after close', async () => {
      const token = await f.signIn(2006);
      const base = f.server.ctx.hub.subscriberCount();
      const seq = await snapshotSeq(f, token);
      const ws = await WsClient.connect(f.server.url, { token, lastEventId: seq });
      const answers = Array.from({ length: 20 }, (_, i) => ws.command({ type: 'resume', lastEventId: seq, ref: `r${i}` }));
      for (const a of await Promise.all(answers)) assert.equal(a.ok, true);
      assert.equal(f.server.ctx.hub.subscriberCount(), base + 1);
      const end = await makeChanges(f, token, 6, 3014);
      await ws.until(() => ws.events.some((e) => e.id === end));
      await sleep(300);
      assert.deepEqual(
        ws.events.map((e) => e.id),
        Array.from({ length: 6 }, (_, i) => seq + 1 + i),
      );
      ws.close();
      const deadline = Date.now() + 2000;
      while (f.server.ctx.hub.subscriberCount() !== base && Date.now() < deadline) await sleep(20);
      assert.equal(f.server.ctx.hub.subscriberCount(), base);
      assert.equal(f.server.ctx.streams.size, 0);
    });
  });
}

for (const backend of (await backends()).filter((b) => b.name === 'postgres')) {
  describe(`revocation crosses nodes through the database only, on ${backend.name}`, () => {
    let f: WarFixture;
    before(async () => {
      ({ f } = await startWarRead(backend));
    });
    after(() => f.close());

    test('signing out on node A closes the streams the member holds on node B within 1 s', async () => {
      const nodeB = await f.startNode();
      const token = await f.signIn(2007);
      const seq = await snapshotSeq(f, token);
      const sse = await SseClient.connect(nodeB.url, { token, lastEventId: seq });
      const ws = watchClose(await WsClient.connect(nodeB.url, { token, lastEventId: seq }));
      const poll = fetch(`${nodeB.url}/api/events?since=${seq}&wait=25`, { headers: { authorization: `Bearer ${token}` } });
      await sleep(150);
      const started = Date.now();
      assert.equal((await f.api('/api/auth', { method: 'DELETE', token })).status, 200);
      const [code, polled] = await Promise.all([closeCode(ws, 1000), poll, sseClosedWithin(sse, 1000)]);
      assert.ok(Date.now() - started < 1000, `took ${Date.now() - started} ms`);
      assert.equal(code, CLOSE_SESSION_ENDED);
      assert.equal(polled.status, 401);
    });
  });
}
