// Transport behaviour the simulator cannot be asked for: stalls, HTML pages, refused connections,
// odd shapes. The simulator tests cover real answers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTornClient, TornApiError, type TornRequestEvent } from '../../src/torn/index.js';
import { sendJson, startFakeTorn } from './fake-torn.js';

const KEY = 'zZ9yY8xX7wW6vV5u';

function assertNoKey(e: unknown): void {
  assert.ok(e instanceof TornApiError, `expected TornApiError, got ${String(e)}`);
  const everything = [e.message, String(e.stack), JSON.stringify(e), String(e.cause ?? '')].join('\n');
  assert.ok(!everything.includes(KEY), `key leaked: ${everything}`);
}

const keyInfoBody = {
  info: {
    selections: {},
    user: { id: 2001, faction_id: 1001, company_id: null },
    access: { level: 1, type: 'Public Only', faction: false, company: false, log: { custom_permissions: false, available: [] } },
  },
};

test('every request carries the key, comment=torncat and no timestamp unless fresh is asked', async () => {
  const fake = await startFakeTorn((_req, res) => sendJson(res, keyInfoBody));
  try {
    const torn = createTornClient({ baseUrl: fake.url + '/' });
    await torn.keyInfo(KEY);
    await torn.keyInfo(KEY, { fresh: true });
    const [plain, fresh] = fake.requests;
    assert.equal(plain.pathname, '/v2/key/info');
    assert.equal(plain.searchParams.get('key'), KEY);
    assert.equal(plain.searchParams.get('comment'), 'torncat');
    assert.equal(plain.searchParams.has('timestamp'), false);
    const ts = Number(fresh.searchParams.get('timestamp'));
    assert.ok(Math.abs(ts - Date.now() / 1000) < 5, `timestamp ${ts} is now`);
    assert.equal(fresh.searchParams.get('comment'), 'torncat');
  } finally {
    await fake.close();
  }
});

test('v1 methods ask for their selection on the v1 paths', async () => {
  const fake = await startFakeTorn((_req, res, url) => {
    if (url.pathname.startsWith('/faction') && url.searchParams.get('selections') === 'rankedwars') {
      return sendJson(res, { rankedwars: {} });
    }
    sendJson(res, { ID: 1002, name: 'Demo Rivals', members: {} });
  });
  try {
    const torn = createTornClient({ baseUrl: fake.url });
    await torn.factionBasicV1(KEY, 1002);
    await torn.factionBasicV1(KEY);
    await torn.factionRankedWarsV1(KEY);
    assert.deepEqual(
      fake.requests.map((u) => `${u.pathname}?${u.searchParams.get('selections')}`),
      ['/faction/1002?basic', '/faction/?basic', '/faction/?rankedwars'],
    );
  } finally {
    await fake.close();
  }
});

test('a Torn error object answered with HTTP 200 becomes a TornApiError of the code kind', async () => {
  const fake = await startFakeTorn((_req, res) => sendJson(res, { error: { code: 18, error: 'API key paused' } }));
  const events: TornRequestEvent[] = [];
  try {
    const torn = createTornClient({ baseUrl: fake.url, onRequest: (e) => events.push(e) });
    await assert.rejects(torn.factionMembers(KEY, 1002), (e) => {
      assertNoKey(e);
      const err = e as TornApiError;
      assert.equal(err.code, 18);
      assert.equal(err.kind, 'key_paused');
      assert.equal(err.endpoint, 'v2/faction/{id}/members');
      return true;
    });
    assert.equal(events.length, 1);
    assert.equal(events[0].outcome, 'key_paused');
    assert.equal(events[0].endpoint, 'v2/faction/{id}/members');
  } finally {
    await fake.close();
  }
});

test('an HTTP error page is a temporary failure with no Torn code', async () => {
  const fake = await startFakeTorn((_req, res) => {
    res.writeHead(502, { 'content-type': 'text/html' });
    res.end('<html>Bad gateway</html>');
  });
  try {
    const torn = createTornClient({ baseUrl: fake.url });
    await assert.rejects(torn.userBasic(KEY), (e) => {
      assertNoKey(e);
      assert.equal((e as TornApiError).kind, 'temporary');
      assert.equal((e as TornApiError).code, null);
      assert.equal((e as TornApiError).status, 502);
      return true;
    });
  } finally {
    await fake.close();
  }
});

test('a 200 answer that is not JSON is a temporary failure', async () => {
  const fake = await startFakeTorn((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<html>maintenance</html>');
  });
  try {
    const torn = createTornClient({ baseUrl: fake.url });
    await assert.rejects(torn.factionWars(KEY), { name: 'TornApiError', kind: 'temporary', code: null });
  } finally {
    await fake.close();
  }
});

test('an answer missing a field we rely on fails as unknown and names the field', async () => {
  const fake = await startFakeTorn((_req, res) => sendJson(res, { members: [{ id: 1, name: 'x' }] }));
  try {
    const torn = createTornClient({ baseUrl: fake.url });
    await assert.rejects(torn.factionMembers(KEY), (e) => {
      assert.equal((e as TornApiError).kind, 'unknown');
      assert.match((e as Error).message, /members\.0\./);
      return true;
    });
  } finally {
    await fake.close();
  }
});

test('a server that never answers times out after timeoutMs', async () => {
  const fake = await startFakeTorn(() => {
    /* never answers */
  });
  const events: TornRequestEvent[] = [];
  try {
    const torn = createTornClient({ baseUrl: fake.url, timeoutMs: 150, onRequest: (e) => events.push(e) });
    const started = Date.now();
    await assert.rejects(torn.keyInfo(KEY), (e) => {
      assertNoKey(e);
      assert.equal((e as TornApiError).kind, 'timeout');
      assert.equal((e as TornApiError).code, null);
      return true;
    });
    const took = Date.now() - started;
    assert.ok(took >= 140 && took < 2000, `took ${took} ms`);
    assert.equal(events[0]?.outcome, 'timeout');
  } finally {
    await fake.close();
  }
});

test('a body that stalls after the headers also times out', async () => {
  const fake = await startFakeTorn((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('{"info":');
  });
  try {
    const torn = createTornClient({ baseUrl: fake.url, timeoutMs: 150 });
    await assert.rejects(torn.keyInfo(KEY), { kind: 'timeout' });
  } finally {
    await fake.close();
  }
});

test('a refused connection is a network error whose message has no key', async () => {
  const fake = await startFakeTorn(() => {});
  await fake.close(); // the port is now closed: connecting to it is refused
  const torn = createTornClient({ baseUrl: fake.url });
  await assert.rejects(torn.keyInfo(KEY, { fresh: true }), (e) => {
    assertNoKey(e);
    assert.equal((e as TornApiError).kind, 'network');
    assert.equal((e as TornApiError).code, null);
    assert.match((e as Error).message, /ECONNREFUSED/);
    return true;
  });
});

test('an unresolvable host is a network error whose message has no key', async () => {
  const torn = createTornClient({ baseUrl: 'http://torncat-no-such-host.invalid', timeoutMs: 5000 });
  await assert.rejects(torn.userProfileV1(KEY), (e) => {
    assertNoKey(e);
    assert.ok(['network', 'timeout'].includes((e as TornApiError).kind));
    return true;
  });
});

test('a bad faction id is refused before any request is made', async () => {
  const fake = await startFakeTorn((_req, res) => sendJson(res, { members: [] }));
  try {
    const torn = createTornClient({ baseUrl: fake.url });
    await assert.rejects(torn.factionMembers(KEY, Number('1002/../../x')), TypeError);
    await assert.rejects(torn.factionMembers(KEY, -1), TypeError);
    assert.equal(fake.requests.length, 0);
  } finally {
    await fake.close();
  }
});

test('a throwing onRequest hook does not fail a good request', async () => {
  const fake = await startFakeTorn((_req, res) => sendJson(res, keyInfoBody));
  try {
    const torn = createTornClient({
      baseUrl: fake.url,
      onRequest: () => {
        throw new Error('metrics broke');
      },
    });
    const info = await torn.keyInfo(KEY);
    assert.equal(info.info.user.id, 2001);
  } finally {
    await fake.close();
  }
});

test('a base URL that is not a URL is refused at creation', () => {
  assert.throws(() => createTornClient({ baseUrl: 'api.torn.com' }), TypeError);
});
