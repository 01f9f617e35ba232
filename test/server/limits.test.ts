import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { backends } from '../helpers/databases.js';
import { assertLimited, postJson } from '../helpers/rate-limited.js';
import { teardown } from '../helpers/teardown.js';
import { startWarFixture, demoKey } from '../helpers/war-fixture.js';
import { SseClient, WsClient } from '../helpers/stream-clients.js';
import { sleep, snapshotSeq } from '../helpers/calls.js';

const [backend] = await backends();

describe(`limits on ${backend.name}`, () => {
  const closeLater = teardown();
  const fixture = async (env: Record<string, string>) => closeLater(await startWarFixture(backend, { env }));

  test('sign-in attempts per IP: the 4th of 3 a minute gets 429 with Retry-After, and Torn is not asked', async () => {
    const f = await fixture({ SIGN_IN_LIMIT_PER_MIN: '3' });
    for (let i = 0; i < 3; i++) assert.equal((await postJson(f, '/api/auth', { apiKey: demoKey(2001) })).status, 200);
    const before = (await f.simControl('/__sim/stats')).total;
    assertLimited(await postJson(f, '/api/auth', { apiKey: demoKey(2002) }));
    assertLimited(await postJson(f, '/api/auth', { apiKey: 'not a key' }));
    assert.equal((await f.simControl('/__sim/stats')).total, before);
  });

  test('behind a trusted proxy each client address has its own allowance; a client cannot forge one without it', async () => {
    const trusted = await fixture({ SIGN_IN_LIMIT_PER_MIN: '2', TORNCAT_TRUST_PROXY: '1' });
    for (const ip of ['198.51.100.1', '198.51.100.2']) {
      for (let i = 0; i < 2; i++) {
        const r = await postJson(trusted, '/api/auth', { apiKey: demoKey(2001) }, { 'x-forwarded-for': `10.9.9.9, ${ip}` });
        assert.equal(r.status, 200, JSON.stringify(r.body));
      }
      // Only the proxy's own (last) entry counts: a varying first entry does not buy more attempts.
      assertLimited(await postJson(trusted, '/api/auth', { apiKey: demoKey(2001) }, { 'x-forwarded-for': `203.0.113.7, ${ip}` }));
    }
    const direct = await fixture({ SIGN_IN_LIMIT_PER_MIN: '2' });
    for (let i = 0; i < 2; i++) {
      assert.equal((await postJson(direct, '/api/auth', { apiKey: demoKey(2001) }, { 'x-forwarded-for': `198.51.100.${i}` })).status, 200);
    }
    assertLimited(await postJson(direct, '/api/auth', { apiKey: demoKey(2001) }, { 'x-forwarded-for': '198.51.100.99' }));
  });

  test('a key Torn rejected is not sent to Torn again for the cooldown', async () => {
    const f = await fixture({ REJECTED_KEY_COOLDOWN_MS: '600000' });
    const key = demoKey(2008);
    await f.simControl(`/__sim/keys/${key}/error`, { code: 2 });
    const first = await postJson(f, '/api/auth', { apiKey: key });
    assert.equal(first.status, 401);
    assert.equal(first.body.error.code, 'torn_key_rejected');
    const asked = (await f.simControl('/__sim/stats')).byKey[key];
    assert.ok(asked >= 1);
    for (let i = 0; i < 5; i++) {
      const again = await postJson(f, '/api/auth', { apiKey: key });
      assertLimited(again);
      assert.ok(Number(again.retryAfter) > 500, `Retry-After ${again.retryAfter}`);
    }
    assert.equal((await f.simControl('/__sim/stats')).byKey[key], asked, 'no further Torn request for that key');
    // Another key from the same address is still checked.
    assert.equal((await postJson(f, '/api/auth', { apiKey: demoKey(2009) })).status, 200);
  });

  test('member operations (all seven) are limited across HTTP and WebSocket together; a refused op writes nothing', async () => {
    const f = await fixture({ CALL_OPS_LIMIT_PER_MIN: '4' });
    const token = await f.signIn(2001);
    const other = await f.signIn(2002);
    await f.sync(1001);
    const http = await f.api('/api/calls', {
      token,
      body: {
        ops: [
          { op: 'call', targetId: 3001 },
          { op: 'release', targetId: 3001 },
        ],
      },
    });
    assert.equal(http.status, 200);
    const ws = await WsClient.connect(f.server.url, { token });
    assert.equal((await ws.command({ type: 'call', targetId: 3002 })).ok, true);
    assert.equal((await ws.command({ type: 'release', targetId: 3002 })).ok, true);
    const seq = await snapshotSeq(f, token);
    const refusedWs = await ws.command({ type: 'call', targetId: 3003 });
    assert.equal(refusedWs.ok, false);
    assert.equal(refusedWs.error.code, 'rate_limited');
    // Every op counts (a watch or a mark as much as a call): the refusal says so.
    assert.match(refusedWs.error.message, /^Too many member operations \(call, release, watch, unwatch, mark, unmark, assist\)/);
    const refusedHttp = await f.api('/api/calls', { token, body: { ops: [{ op: 'call', targetId: 3004 }] } });
    assertLimited(refusedHttp);
    assert.equal(await snapshotSeq(f, token), seq, 'refused operations wrote no event');
    // The limit is the member's, not the faction's.
    const theirs = await f.api('/api/calls', { token: other, body: { ops: [{ op: 'call', targetId: 3005 }] } });
    assert.equal(theirs.body.results[0].ok, true);
    ws.close();
  });

  test('open streams per token and per IP: one too many is refused with 429 on every transport, and a closed one frees its place', async () => {
    const f = await fixture({ STREAMS_PER_TOKEN: '2', STREAMS_PER_IP: '3' });
    const a = await f.signIn(2001);
    const b = await f.signIn(2002);
    const sse1 = await SseClient.connect(f.server.url, { token: a });
    const ws1 = await WsClient.connect(f.server.url, { token: a });
    const third = await SseClient.connect(f.server.url, { token: a });
    assert.equal(third.status, 429);
    await assert.rejects(WsClient.connect(f.server.url, { token: a }), (e: any) => e.status === 429 && /rate_limited/.test(e.body));
    const seq = await snapshotSeq(f, a);
    const poll = await f.api(`/api/events?since=${seq}&wait=0`, { token: a });
    assertLimited(poll);

    const sseB = await SseClient.connect(f.server.url, { token: b });
    assert.equal(sseB.status, 200);
    const overIp = await SseClient.connect(f.server.url, { token: b });
    assert.equal(overIp.status, 429, 'the address holds 3 already');

    sse1.close();
    ws1.close();
    await sleep(200);
    const again = await SseClient.connect(f.server.url, { token: a });
    assert.equal(again.status, 200);
    again.close();
    sseB.close();
  });

  test('a request body that trickles in is cut after REQUEST_TIMEOUT_MS, while SSE and WebSocket streams live on', async () => {
    const f = await fixture({ REQUEST_TIMEOUT_MS: '1000' });
    const token = await f.signIn(2001);
    await f.sync(1001);
    const sse = await SseClient.connect(f.server.url, { token });
    const ws = await WsClient.connect(f.server.url, { token });

    const { port } = new URL(f.server.url);
    const started = Date.now();
    const answer = await new Promise<string>((resolve) => {
      const s = connect(Number(port), '127.0.0.1', () => {
        s.write(
          `POST /api/calls HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{`,
        );
      });
      let got = '';
      s.on('data', (d) => (got += d));
      s.on('close', () => resolve(got));
      s.on('error', () => {});
    });
    const took = Date.now() - started;
    assert.match(answer, /^HTTP\/1\.1 408/, answer);
    assert.ok(took < 5000, `the slow request held its connection ${took} ms`);

    // Both streams outlived the request timeout several times over and still deliver.
    await sleep(1500);
    const r = await f.api('/api/calls', { token, body: { ops: [{ op: 'call', targetId: 3001 }] } });
    await sse.until((e) => e.some((x) => x.id === r.body.seq));
    await ws.until(() => ws.events.some((x) => x.id === r.body.seq));
    assert.equal(sse.closed, false);
    sse.close();
    ws.close();
  });
});
