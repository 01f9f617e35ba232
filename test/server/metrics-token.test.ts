import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { pgliteBackend } from '../helpers/databases.js';
import { startWarFixture, type WarFixture } from '../helpers/war-fixture.js';

const pglite = await pgliteBackend();
const TOKEN = 'metrics-token-0123456789abcdef';

describe('GET /metrics with TORNCAT_METRICS_TOKEN set', () => {
  let f: WarFixture;
  before(async () => {
    f = await startWarFixture(pglite, { env: { TORNCAT_METRICS_TOKEN: TOKEN } });
  });
  after(() => f.close());

  test('the right bearer token gets the Prometheus text', async () => {
    const res = await fetch(f.server.url + '/metrics', { headers: { authorization: `Bearer ${TOKEN}` } });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain/);
    assert.match(await res.text(), /^# HELP /m);
  });

  for (const refused of [
    ['no Authorization header', {}],
    ['a wrong token', { authorization: 'Bearer metrics-token-0123456789abcdeX' }],
    ['a prefix of the token', { authorization: `Bearer ${TOKEN.slice(0, -1)}` }],
    ['the token with more after it', { authorization: `Bearer ${TOKEN}0` }],
    ['the token as Basic credentials', { authorization: `Basic ${TOKEN}` }],
    ['a session-style query token', {}, `?token=${TOKEN}`],
  ] as [string, Record<string, string>, string?][]) {
    const [what, headers, query = ''] = refused;
    test(`${what} is 401 unauthorized, in the API's error shape, and shows no metric`, async () => {
      const res = await fetch(f.server.url + '/metrics' + query, { headers });
      assert.equal(res.status, 401);
      assert.match(res.headers.get('www-authenticate') ?? '', /^Bearer /);
      const text = await res.text();
      assert.doesNotMatch(text, /# HELP/);
      const body = JSON.parse(text);
      assert.deepEqual(Object.keys(body), ['error']);
      assert.equal(body.error.code, 'unauthorized');
      assert.match(body.error.message, /TORNCAT_METRICS_TOKEN/);
    });
  }
});

describe('GET /metrics without TORNCAT_METRICS_TOKEN', () => {
  let f: WarFixture;
  before(async () => {
    f = await startWarFixture(pglite);
  });
  after(() => f.close());

  test('is open to anyone', async () => {
    const res = await fetch(f.server.url + '/metrics');
    assert.equal(res.status, 200);
    assert.match(await res.text(), /^# HELP /m);
  });
});
