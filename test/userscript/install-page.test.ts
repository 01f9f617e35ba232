import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { runInNewContext } from 'node:vm';
import { TERMS } from '../../src/protocol/terms.js';
import { scriptVersion } from '../../src/server/clients/userscript-source.js';
import { backends } from '../helpers/databases.js';
import { startWarFixture, type WarFixture } from '../helpers/war-fixture.js';

const [pglite] = (await backends()).filter((b) => b.name === 'pglite');

describe('install page, EdgeFunctionCache.js and @version', () => {
  let f: WarFixture;
  before(async () => {
    f = await startWarFixture(pglite);
  });
  after(() => f.close());

  test('GET /install links both userscripts and EdgeFunctionCache.js, explains the rungs and shows the terms', async () => {
    const r = await fetch(f.server.url + '/install');
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(r.headers.get('content-security-policy') ?? '', /default-src 'none'/);
    const html = await r.text();
    for (const file of ['torn-war-caller-sse.user.js', 'torn-war-caller.user.js', 'EdgeFunctionCache.js'])
      assert.ok(html.includes(`href="${f.server.url}/${file}"`), file);
    for (const word of ['Tampermonkey', 'Violentmonkey', 'TornPDA', 'eventsource', 'gm-stream', 'long-poll', 'poll'])
      assert.ok(html.includes(word), word);
    const esc = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
    for (const t of TERMS)
      assert.ok(html.includes(esc(t.title)) && html.includes(esc(t.question)) && html.includes(esc(t.answer)), t.title);
    assert.doesNotMatch(html, /<script/);
  });

  test('GET /EdgeFunctionCache.js defines a global EdgeFunctionCache class usable with @require', async () => {
    const r = await fetch(f.server.url + '/EdgeFunctionCache.js');
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type') ?? '', /^text\/javascript/);
    const sandbox: Record<string, any> = {};
    runInNewContext(`${await r.text()}\nthis.Cls = EdgeFunctionCache;`, sandbox);
    const cache = new sandbox.Cls({ ttlMs: 1000 });
    let calls = 0;
    const fetcher = async () => ++calls;
    assert.equal(await cache.get('k', fetcher), 1);
    assert.equal(await cache.get('k', fetcher), 1, 'answered from the cache');
  });

  test('@version is the package version plus a number from the bundle and settings: any change changes it', async () => {
    const text = await (await fetch(f.server.url + '/torn-war-caller-sse.user.js')).text();
    const version = /@version +(\S+)$/m.exec(text)?.[1] ?? '';
    assert.match(version, /^\d+\.\d+\.\d+\.\d+$/);
    assert.ok(text.includes(`"version": "${version}"`), 'the panel shows the same version');
    assert.notEqual(scriptVersion('body', { syncIntervalMs: 5000 }), scriptVersion('body', { syncIntervalMs: 700 }));
    assert.notEqual(scriptVersion('body', {}), scriptVersion('body2', {}));
    assert.equal(scriptVersion('body', { a: 1 }), scriptVersion('body', { a: 1 }));
  });
});
