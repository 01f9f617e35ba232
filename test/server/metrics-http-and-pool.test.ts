import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { backends } from '../helpers/databases.js';
import { startWarFixture, type WarFixture } from '../helpers/war-fixture.js';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Prometheus text → samples (enough of the format for our own exposition). */
function parse(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const [, k, v] of (m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[k] = v;
    out.push({ name: m[1], labels, value: Number(m[3]) });
  }
  return out;
}

const find = (samples: Sample[], name: string, labels: Record<string, string> = {}) =>
  samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));

for (const backend of await backends()) {
  describe(`HTTP and database pool metrics (${backend.name})`, () => {
    let f: WarFixture;
    let token: string;
    let scraped: Sample[];
    let text: string;

    before(async () => {
      f = await startWarFixture(backend);
      await f.sync(1001);
      token = await f.signIn(2001);
      assert.equal((await f.api('/api/war', { token })).status, 200);
      assert.equal((await f.api('/api/war', { token })).status, 200);
      assert.equal((await f.api('/api/war')).status, 401);
      // A token in a path or a query string must never become a label value.
      assert.equal((await f.api(`/api/war?token=${token}`)).status, 401);
      assert.equal((await f.api(`/no-such-page/${token}`)).status, 404);
      assert.equal((await f.api(`/api/no-such-route/${token}`, { token })).status, 404);
      assert.equal((await f.api('/api/calls', { token, body: { ops: [{ op: 'call', targetId: 3001 }] } })).status, 200);
      const seq = (await f.api('/api/war', { token })).body.seq as number;
      assert.equal((await f.api(`/api/events?since=${seq}&wait=1`, { token })).status, 200);
      const preflight = await fetch(f.server.url + '/api/war', {
        method: 'OPTIONS',
        headers: { origin: 'https://www.torn.com', 'access-control-request-method': 'GET' },
      });
      assert.equal(preflight.status, 204);
      const res = await fetch(f.server.url + '/metrics');
      text = await res.text();
      scraped = parse(text);
    });
    after(() => f.close());

    test('answers are timed by method, route pattern and status', () => {
      const war = find(scraped, 'torncat_http_request_duration_seconds_count', { method: 'GET', route: '/api/war', status: '200' });
      assert.equal(war.length, 1);
      assert.ok(war[0].value >= 3, `GET /api/war 200 counted ${war[0].value} times`);
      // Refused by the auth middleware before the handler: still under the handler's pattern.
      assert.equal(find(scraped, 'torncat_http_request_duration_seconds_count', { route: '/api/war', status: '401' })[0]?.value, 2);
      assert.equal(
        find(scraped, 'torncat_http_request_duration_seconds_count', { method: 'POST', route: '/api/calls', status: '200' })[0]?.value,
        1,
      );
      assert.equal(find(scraped, 'torncat_http_requests_total', { method: 'POST', route: '/api/auth', status: '200' })[0]?.value, 1);
      const buckets = find(scraped, 'torncat_http_request_duration_seconds_bucket', { route: '/api/war', status: '200' });
      assert.ok(buckets.some((b) => b.labels.le === '+Inf' && b.value === war[0].value));
    });

    test('unknown paths and preflights are labelled by the pattern that answered, never the path', () => {
      assert.equal(find(scraped, 'torncat_http_requests_total', { method: 'GET', route: '/*', status: '404' })[0]?.value, 1);
      assert.equal(find(scraped, 'torncat_http_requests_total', { method: 'GET', route: '/api/*', status: '404' })[0]?.value, 1);
      assert.equal(find(scraped, 'torncat_http_requests_total', { method: 'OPTIONS', route: '/api/*', status: '204' })[0]?.value, 1);
      assert.ok(!text.includes(token), 'the session token appears in /metrics');
      assert.ok(!text.includes('no-such'), 'a raw path appears in /metrics');
      const routes = new Set(scraped.filter((s) => s.name.startsWith('torncat_http_')).map((s) => s.labels.route));
      for (const r of routes) assert.ok(r.startsWith('/'), `route label ${r}`);
    });

    test('long-polls are counted but not timed: they wait on purpose', () => {
      assert.equal(find(scraped, 'torncat_http_requests_total', { method: 'GET', route: '/api/events', status: '200' })[0]?.value, 1);
      assert.deepEqual(find(scraped, 'torncat_http_request_duration_seconds_count', { route: '/api/events' }), []);
    });

    test('the pool gauges show its size and its connections', () => {
      const max = backend.name === 'pglite' ? 1 : 10;
      assert.equal(find(scraped, 'torncat_db_pool_max_connections')[0]?.value, max);
      const inUse = find(scraped, 'torncat_db_pool_connections', { state: 'in_use' })[0];
      const idle = find(scraped, 'torncat_db_pool_connections', { state: 'idle' })[0];
      assert.ok(inUse && idle, 'both states reported');
      assert.ok(inUse.value + idle.value <= max && inUse.value + idle.value >= 1);
      assert.equal(find(scraped, 'torncat_db_pool_waiting')[0]?.value, 0);
      // LISTEN and the poller's lock (opened by the sync above) are outside the pool on PostgreSQL; PGlite has neither.
      assert.equal(find(scraped, 'torncat_db_dedicated_connections')[0]?.value, backend.name === 'pglite' ? 0 : 2);
    });

    test('work waiting for a connection shows as waiting, and stops showing once it ran', async () => {
      const max = backend.name === 'pglite' ? 1 : 10;
      let open!: () => void;
      const gate = new Promise<void>((r) => (open = r));
      let started = 0;
      const holders = Array.from({ length: max }, () =>
        f.db.transaction(async () => {
          started++;
          await gate;
        }),
      );
      while (started < max) await new Promise((r) => setTimeout(r, 10));
      const waiter = f.db.query('select 1');
      // Read the gauges alone: a full scrape would itself wait for a connection (the keys gauge queries).
      const gauges = async () =>
        parse(
          (await f.server.ctx.metrics.registry.getSingleMetricAsString('torncat_db_pool_waiting')) +
            '\n' +
            (await f.server.ctx.metrics.registry.getSingleMetricAsString('torncat_db_pool_connections')),
        );
      const busy = await gauges();
      // The node's own timers (call expiry, catch-up) may queue beside it.
      assert.ok((find(busy, 'torncat_db_pool_waiting')[0]?.value ?? 0) >= 1);
      assert.equal(find(busy, 'torncat_db_pool_connections', { state: 'in_use' })[0]?.value, max);
      assert.equal(find(busy, 'torncat_db_pool_connections', { state: 'idle' })[0]?.value, 0);
      open();
      await Promise.all([...holders, waiter]);
      const calm = await gauges();
      assert.equal(find(calm, 'torncat_db_pool_waiting')[0]?.value, 0);
      assert.ok((find(calm, 'torncat_db_pool_connections', { state: 'in_use' })[0]?.value ?? max) < max);
    });
  });
}
