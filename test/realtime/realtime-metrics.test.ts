// The realtime metrics on GET /metrics, read as Prometheus text the way a scraper reads them, while
// real SSE and WebSocket clients connect, get events, resume, and stop reading.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { backends } from '../helpers/databases.js';
import type { WarFixture } from '../helpers/war-fixture.js';
import { startWarRead } from '../helpers/war-read.js';
import { SseClient, WsClient } from '../helpers/stream-clients.js';
import { headSeq } from '../../src/realtime/event-log.js';
import { appendMarker } from '../helpers/log-markers.js';
import { assertContiguous, sleep } from '../helpers/calls.js';

/** The value of one sample (`name{labels}`) in a Prometheus text, 0 when absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const m = /^([a-z_]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const got = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((l) => [l[1], l[2]]));
    if (Object.entries(labels).every(([k, v]) => got[k] === v)) return Number(m[3]);
  }
  return 0;
}

async function waitFor(cond: () => boolean | Promise<boolean>, what: string, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

for (const backend of await backends()) {
  describe(`realtime metrics on ${backend.name}`, () => {
    let f: WarFixture;
    let token: string;
    const metrics = async () => (await fetch(f.server.url + '/metrics')).text();

    before(async () => {
      ({ f, token } = await startWarRead(backend, { server: { hub: { stallMs: 1000 } } }));
    });
    after(() => f.close());

    test('connections by transport, events fanned out, deliveries and the NOTIFY-to-write lag', async () => {
      const seq = await headSeq(f.db, 1001);
      const sse = await SseClient.connect(f.server.url, { token, lastEventId: seq });
      const ws = await WsClient.connect(f.server.url, { token, lastEventId: seq });
      await waitFor(() => f.server.ctx.hub.stats().subscribers === 2, 'both clients attached');
      const before = await metrics();
      assert.equal(sample(before, 'torncat_realtime_connections', { transport: 'sse' }), 1);
      assert.equal(sample(before, 'torncat_realtime_connections', { transport: 'websocket' }), 1);

      for (let i = 0; i < 3; i++) await appendMarker(f.db, 1001, 'war_summary', { warId: 5001, i });
      await sse.until((e) => e.length === 3);
      await ws.until(() => ws.events.length === 3);
      const after = await metrics();
      assert.equal(sample(after, 'torncat_realtime_events_total') - sample(before, 'torncat_realtime_events_total'), 3);
      assert.equal(sample(after, 'torncat_realtime_deliveries_total') - sample(before, 'torncat_realtime_deliveries_total'), 6);
      const lagged = (t: string) => sample(t, 'torncat_realtime_notify_to_write_seconds_count');
      assert.equal(lagged(after) - lagged(before), 3, 'one lag observation per event announced by NOTIFY');
      assert.ok(sample(after, 'torncat_realtime_notify_to_write_seconds_bucket', { le: '+Inf' }) >= 3);

      sse.close();
      ws.ws.close();
      await waitFor(
        async () => sample(await metrics(), 'torncat_realtime_connections', { transport: 'sse' }) === 0,
        'the SSE count to drop',
      );
      assert.equal(sample(await metrics(), 'torncat_realtime_connections', { transport: 'websocket' }), 0);
    });

    test('a resume counts a replay, and a resume point the log never held a reset', async () => {
      const before = await metrics();
      const from = await headSeq(f.db, 1001);
      for (let i = 0; i < 2; i++) await appendMarker(f.db, 1001, 'war_summary', { warId: 5001, i });
      const resumed = await SseClient.connect(f.server.url, { token, lastEventId: from });
      await resumed.until((e) => e.length === 2);
      assertContiguous(resumed.events, from, from + 2);
      resumed.close();
      const ahead = await SseClient.connect(f.server.url, { token, lastEventId: from + 1000 });
      await ahead.until((e) => e.some((x) => x.event === 'reset'));
      ahead.close();
      const after = await metrics();
      assert.equal(sample(after, 'torncat_realtime_replays_total') - sample(before, 'torncat_realtime_replays_total'), 1);
      assert.equal(sample(after, 'torncat_realtime_resets_total') - sample(before, 'torncat_realtime_resets_total'), 1);
    });

    test('a client that stops reading is counted as cut, by transport and reason', async () => {
      const seq = await headSeq(f.db, 1001);
      const slow = await SseClient.connect(f.server.url, { token, lastEventId: seq, light: true });
      slow.pause();
      await waitFor(() => f.server.ctx.hub.stats().subscribers === 1, 'the client attached');
      const padding = 'x'.repeat(48 * 1024);
      for (let k = 0; k < 600; k += 50) {
        await f.db.transaction(async (tx) => {
          for (let i = k; i < k + 50; i++) await appendMarker(tx, 1001, 'war_summary', { warId: 5001, i, padding });
        });
      }
      await waitFor(() => f.server.ctx.hub.stats().subscribers === 0, 'the stalled client to be cut');
      const text = await metrics();
      assert.equal(sample(text, 'torncat_realtime_slow_clients_cut_total', { transport: 'sse', reason: 'stalled' }), 1);
      slow.resume();
      slow.close();
    });
  });
}
