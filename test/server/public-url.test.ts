import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { pgliteBackend } from '../helpers/databases.js';
import { rawGet } from '../helpers/raw-get.js';
import { startWarFixture, type WarFixture } from '../helpers/war-fixture.js';
import { publicOrigin } from '../../src/server/browser-files/public-origin.js';

const pglite = await pgliteBackend();

/** Every place the served script names its server. */
async function scriptNames(f: WarFixture, headers: Record<string, string>) {
  const r = await rawGet(f.server.url + '/torn-war-caller-sse.user.js', headers);
  assert.equal(r.status, 200);
  const line = (k: string) => new RegExp(`^// @${k} +(.*)$`, 'm').exec(r.text)?.[1];
  return {
    connect: line('connect'),
    updateURL: line('updateURL'),
    downloadURL: line('downloadURL'),
    namespace: line('namespace'),
    server: /"server": "([^"]*)"/.exec(r.text)?.[1],
    vary: r.headers.vary as string | undefined,
  };
}

const forged = {
  host: 'torncat.example.org',
  'x-forwarded-host': 'evil.example',
  'x-forwarded-proto': 'https',
};

describe('the userscript URL without a trusted proxy (TORNCAT_TRUST_PROXY unset)', () => {
  let f: WarFixture;
  before(async () => {
    f = await startWarFixture(pglite);
  });
  after(() => f.close());

  test('a forged X-Forwarded-Host and -Proto are ignored: the Host header names the server', async () => {
    assert.deepEqual(await scriptNames(f, forged), {
      connect: 'torncat.example.org',
      updateURL: 'http://torncat.example.org/torn-war-caller-sse.user.js',
      downloadURL: 'http://torncat.example.org/torn-war-caller-sse.user.js',
      namespace: 'torncat:torncat.example.org',
      server: 'http://torncat.example.org',
      vary: 'Host',
    });
  });

  test('a Host that is not a plain host gives way to the address the socket was accepted on', async () => {
    const port = new URL(f.server.url).port;
    const names = await scriptNames(f, { ...forged, host: 'evil.example";alert(1);"' });
    assert.equal(names.server, `http://127.0.0.1:${port}`);
    assert.equal(names.connect, '127.0.0.1');
  });
});

describe('the userscript URL behind a trusted proxy (TORNCAT_TRUST_PROXY=1)', () => {
  let f: WarFixture;
  before(async () => {
    f = await startWarFixture(pglite, { env: { TORNCAT_TRUST_PROXY: '1' } });
  });
  after(() => f.close());

  test("the proxy's own (last) X-Forwarded-Host and -Proto count, not the client's forged first ones", async () => {
    const names = await scriptNames(f, {
      host: 'internal:10000',
      'x-forwarded-host': 'evil.example, torncat.onrender.com',
      'x-forwarded-proto': 'http, https',
    });
    assert.deepEqual(names, {
      connect: 'torncat.onrender.com',
      updateURL: 'https://torncat.onrender.com/torn-war-caller-sse.user.js',
      downloadURL: 'https://torncat.onrender.com/torn-war-caller-sse.user.js',
      namespace: 'torncat:torncat.onrender.com',
      server: 'https://torncat.onrender.com',
      vary: 'Host, X-Forwarded-Host, X-Forwarded-Proto',
    });
  });

  test('a last X-Forwarded-Host that is not a plain host falls back to Host, never to an earlier value', async () => {
    const names = await scriptNames(f, {
      host: 'torncat.example.org',
      'x-forwarded-host': 'evil.example, bad"host',
      'x-forwarded-proto': 'https',
    });
    assert.equal(names.server, 'https://torncat.example.org');
    assert.equal(names.connect, 'torncat.example.org');
  });
});

describe('the userscript URL with TORNCAT_PUBLIC_URL set', () => {
  let f: WarFixture;
  before(async () => {
    // Trusting the proxy as well: the configured URL still wins over anything a request says.
    f = await startWarFixture(pglite, { env: { TORNCAT_PUBLIC_URL: 'https://calls.example.net/', TORNCAT_TRUST_PROXY: '1' } });
  });
  after(() => f.close());

  test('it is the URL in the script whatever Host and X-Forwarded-* say', async () => {
    for (const headers of [
      forged,
      { host: 'evil.example' },
      { host: 'x', 'x-forwarded-host': 'a.example, evil.example', 'x-forwarded-proto': 'http' },
    ]) {
      assert.deepEqual(await scriptNames(f, headers), {
        connect: 'calls.example.net',
        updateURL: 'https://calls.example.net/torn-war-caller-sse.user.js',
        downloadURL: 'https://calls.example.net/torn-war-caller-sse.user.js',
        namespace: 'torncat:calls.example.net',
        server: 'https://calls.example.net',
        vary: undefined,
      });
    }
  });

  test('the polling build names it too', async () => {
    const r = await rawGet(f.server.url + '/torn-war-caller.user.js', forged);
    assert.match(r.text, /^\/\/ @updateURL +https:\/\/calls\.example\.net\/torn-war-caller\.user\.js$/m);
    assert.match(r.text, /"server": "https:\/\/calls\.example\.net"/);
  });
});

describe('publicOrigin', () => {
  const h = (o: Record<string, string>) => new Headers(o);

  test('an IPv6 socket address stands in, bracketed, when Host is unusable', () => {
    assert.equal(publicOrigin('http://x/', h({ host: 'a b' }), { fallbackHost: '[::1]:8080' }), 'http://[::1]:8080');
  });

  test('a public URL under a path keeps the path, without a trailing slash', () => {
    assert.equal(publicOrigin('http://x/', h({}), { publicUrl: 'https://example.com/torncat/' }), 'https://example.com/torncat');
  });

  test('an X-Forwarded-Proto other than http or https is ignored', () => {
    assert.equal(
      publicOrigin('http://x/', h({ host: 'a.example', 'x-forwarded-proto': 'javascript' }), { trustProxy: true }),
      'http://a.example',
    );
  });
});
