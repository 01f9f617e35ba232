import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { pgliteBackend } from '../helpers/databases.js';
import { startWarFixture, type WarFixture } from '../helpers/war-fixture.js';
import { startWarRead } from '../helpers/war-read.js';
import { ERROR_CODES } from '../../src/errors.js';

const pglite = await pgliteBackend();

describe('HTTP errors', () => {
  let f: WarFixture;
  let member: string;
  before(async () => {
    ({ f, token: member } = await startWarRead(pglite));
  });
  after(() => f.close());

  const isError = (body: any, code: string) => {
    assert.equal(body.error.code, code, JSON.stringify(body));
    assert.equal(typeof body.error.message, 'string');
    assert.ok(body.error.message.length > 0);
    assert.doesNotMatch(JSON.stringify(body), /at .+\.(ts|js):\d+/, 'no stack trace');
  };

  test('an unknown route is 404 not_found', async () => {
    const r = await f.api('/nope');
    assert.equal(r.status, 404);
    isError(r.body, 'not_found');
  });

  test('malformed JSON is 400 invalid_json', async () => {
    const r = await f.api('/api/calls', { token: member, body: '{"ops":[' });
    assert.equal(r.status, 400);
    isError(r.body, 'invalid_json');
    const a = await f.api('/api/auth', { body: 'not json' });
    assert.equal(a.status, 400);
    isError(a.body, 'invalid_json');
  });

  test('a body over 64 KiB is 413 body_too_large and writes nothing', async () => {
    const before = (await f.api('/api/war', { token: member })).body.seq;
    const ops = Array.from({ length: 5000 }, () => ({ op: 'call', targetId: 3001, pad: 'x'.repeat(10) }));
    const r = await f.api('/api/calls', { token: member, body: { ops } });
    assert.equal(r.status, 413);
    isError(r.body, 'body_too_large');
    assert.equal((await f.api('/api/war', { token: member })).body.seq, before);
  });

  test('wrong types name the field, and nothing of the batch is written', async () => {
    const before = (await f.api('/api/war', { token: member })).body.seq;
    const r = await f.api('/api/calls', {
      token: member,
      body: {
        ops: [
          { op: 'call', targetId: 3001 },
          { op: 'call', targetId: '3002' },
        ],
      },
    });
    assert.equal(r.status, 400);
    isError(r.body, 'invalid_request');
    assert.match(r.body.error.message, /ops\[1\]\.targetId/);
    assert.equal((await f.api('/api/war', { token: member })).body.seq, before);
    const bad = await f.api('/api/calls', { token: member, body: { ops: [{ op: 'steal', targetId: 3001 }] } });
    assert.equal(bad.status, 400);
    assert.match(bad.body.error.message, /ops\[0\]\.op/);
    const notObject = await f.api('/api/calls', { token: member, body: [1, 2] });
    assert.equal(notObject.status, 400);
  });

  test('a non-JSON content type is 415', async () => {
    const r = await f.api('/api/calls', { token: member, body: 'ops=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(r.status, 415);
    isError(r.body, 'unsupported_media_type');
  });

  test('a missing token is 401 unauthorized on every member route and stream', async () => {
    for (const path of ['/api/war', '/api/events?since=0', '/events']) {
      const r = await f.api(path);
      assert.equal(r.status, 401, path);
      isError(r.body, 'unauthorized');
    }
    const post = await f.api('/api/calls', { body: { ops: [] } });
    assert.equal(post.status, 401);
  });

  test('a bad resume point is a 400 naming it', async () => {
    const r = await f.api('/api/events?since=abc', { token: member });
    assert.equal(r.status, 400);
    assert.match(r.body.error.message, /since/);
    const s = await f.api('/events?lastEventId=-3', { token: member });
    assert.equal(s.status, 400);
    assert.match(s.body.error.message, /lastEventId/);
  });

  test('/healthz is 200 with the database up', async () => {
    const r = await f.api('/healthz');
    assert.equal(r.status, 200);
    assert.equal(r.body.ok, true);
  });

  test('every error code in the registry is listed in docs/protocol.md, and it lists no other', () => {
    const readme = readFileSync(new URL('../../docs/protocol.md', import.meta.url), 'utf8');
    const table = readme.slice(readme.indexOf('<!-- errors -->'), readme.indexOf('<!-- /errors -->'));
    const documented = [...table.matchAll(/^\| `([a-z_]+)` \| (\d{3}) \|/gm)].map((m) => [m[1], Number(m[2])]);
    const registry = Object.entries(ERROR_CODES).map(([code, e]) => [code, e.status]);
    assert.deepEqual(documented.sort(), registry.sort());
  });
});

describe('/healthz when the database is gone', () => {
  test('is 503', async () => {
    const f = await startWarFixture(pglite);
    try {
      await f.db.close();
      const r = await f.api('/healthz');
      assert.equal(r.status, 503);
      assert.equal(r.body.ok, false);
    } finally {
      await f.server.close();
      await f.sim.close();
    }
  });
});
