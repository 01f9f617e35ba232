import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runDemo } from '../../src/demo/run-demo.js';
import { SseClient } from '../helpers/stream-clients.js';

test("the demo runs a live war: simulated members' calls reach a member's stream", async () => {
  const demo = await runDemo({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent' }, { memberEveryMs: 200 });
  try {
    const auth = await (
      await fetch(demo.server.url + '/api/auth', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ apiKey: 'demo000000002001' }),
      })
    ).json();
    await demo.server.ctx.sync.syncFaction(1001, true);
    const war = await (await fetch(demo.server.url + '/api/war', { headers: { authorization: `Bearer ${auth.token}` } })).json();
    assert.equal(war.war.id, 5001);
    assert.equal(war.targets.length, 25);
    const sse = await SseClient.connect(demo.server.url, { token: auth.token, lastEventId: war.seq });
    const events = await sse.until(
      (e) => e.some((x) => x.event === 'target_call' && x.data.callerId >= 2002 && x.data.callerId <= 2006),
      15_000,
    );
    const call = events.find((x) => x.event === 'target_call')!;
    assert.ok(call.data.targetId >= 3001 && call.data.targetId <= 3025);
    sse.close();
  } finally {
    await demo.close();
  }
});
