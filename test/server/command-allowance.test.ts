import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { backends } from '../helpers/databases.js';
import { assertLimited } from '../helpers/rate-limited.js';
import { teardown } from '../helpers/teardown.js';
import { startWarFixture } from '../helpers/war-fixture.js';
import { WsClient } from '../helpers/stream-clients.js';

const [backend] = await backends();

describe(`the WebSocket command allowance on ${backend.name}`, () => {
  const closeLater = teardown();
  const fixture = async (env: Record<string, string>) => closeLater(await startWarFixture(backend, { env }));

  test('every WebSocket command spends the allowance: resume and ping too, shared with HTTP', async () => {
    // Found by the second hardening pass: 2,954 resume(0) from one socket in 10 s replayed 93 MB; ping cost nothing.
    const f = await fixture({ CALL_OPS_LIMIT_PER_MIN: '4' });
    const token = await f.signIn(2001);
    await f.sync(1001);
    const ws = await WsClient.connect(f.server.url, { token });
    assert.equal((await ws.command({ type: 'ping', ref: 'p1' })).type, 'pong');
    assert.equal((await ws.command({ type: 'resume', lastEventId: 0, ref: 'r1' })).ok, true);
    assert.equal((await ws.command({ type: 'ping', ref: 'p2' })).type, 'pong');
    assert.equal((await ws.command({ type: 'resume', lastEventId: 0, ref: 'r2' })).ok, true);
    for (const cmd of [
      { type: 'ping', ref: 'p3' },
      { type: 'resume', lastEventId: 0, ref: 'r3' },
    ]) {
      const refused = await ws.command(cmd);
      assert.equal(refused.type, 'result');
      assert.equal(refused.ok, false, JSON.stringify(refused));
      assert.equal(refused.error.code, 'rate_limited');
    }
    assertLimited(await f.api('/api/calls', { token, body: { ops: [{ op: 'call', targetId: 3001 }] } }));
    ws.close();
  });
});
