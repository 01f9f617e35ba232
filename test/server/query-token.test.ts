import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { pgliteBackend } from '../helpers/databases.js';
import { SseClient, WsClient } from '../helpers/stream-clients.js';
import type { WarFixture } from '../helpers/war-fixture.js';
import { startWarRead } from '../helpers/war-read.js';

const pglite = await pgliteBackend();

describe('tokens in query strings only on /events and /ws', () => {
  let f: WarFixture;
  let member: string;
  before(async () => {
    ({ f, token: member } = await startWarRead(pglite));
  });
  after(() => f.close());

  for (const path of ['/api/war', '/api/events?since=0&wait=0']) {
    test(`GET ${path} with ?token= and no header is 401 unauthorized`, async () => {
      const r = await f.api(`${path}${path.includes('?') ? '&' : '?'}token=${member}`);
      assert.equal(r.status, 401);
      assert.equal(r.body.error.code, 'unauthorized');
      assert.match(r.body.error.message, /Authorization: Bearer/);
    });

    test(`GET ${path} with the token in the Authorization header works`, async () => {
      const r = await f.api(path, { token: member });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(typeof r.body.seq, 'number');
    });
  }

  test('POST /api/calls with ?token= is refused and calls nothing', async () => {
    const r = await f.api(`/api/calls?token=${member}`, { body: { ops: [{ op: 'call', targetId: 3001 }] } });
    assert.equal(r.status, 401);
    assert.equal(r.body.error.code, 'unauthorized');
    const war = await f.api('/api/war', { token: member });
    assert.deepEqual(war.body.calls, []);
  });

  test('GET /events?token= still opens the stream (EventSource cannot send headers)', async () => {
    const seq = (await f.api('/api/war', { token: member })).body.seq;
    const c = await SseClient.connect(f.server.url, { query: `?token=${member}&lastEventId=${seq}` });
    try {
      assert.equal(c.status, 200);
      assert.match(String(c.headers['content-type']), /^text\/event-stream/);
    } finally {
      c.close();
    }
  });

  test('GET /ws?token= still opens the socket', async () => {
    const ws = await WsClient.connect(f.server.url, { token: member });
    ws.ws.close();
  });
});
