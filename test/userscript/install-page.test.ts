import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { runInNewContext } from 'node:vm';
import { readFileSync } from 'node:fs';
import { TERMS } from '../../src/protocol/terms.js';
import { SCREENSHOTS } from '../../src/server/browser-files/screenshots.js';
import { pgliteBackend } from '../helpers/databases.js';
import { startWarFixture, type WarFixture } from '../helpers/war-fixture.js';

const pglite = await pgliteBackend();

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

  test('the board links to /install and /install back to the board, with the screenshots this server serves', async () => {
    const board = await (await fetch(f.server.url + '/')).text();
    assert.match(board, /<header>[\s\S]*<a id="install-link" href="\/install"[\s\S]*<\/header>/, 'the board’s header links to /install');
    const r = await fetch(f.server.url + '/install');
    const html = await r.text();
    assert.ok(html.includes(`<a href="${f.server.url}/">`), 'the install page links back to the board');
    assert.match(r.headers.get('content-security-policy') ?? '', /img-src 'self'/);
    for (const { file } of Object.values(SCREENSHOTS)) {
      assert.ok(html.includes(`<img src="${f.server.url}/install/${file}"`), `the page shows ${file}`);
      const png = await fetch(`${f.server.url}/install/${file}`);
      assert.equal(png.status, 200, file);
      assert.equal(png.headers.get('content-type'), 'image/png');
      const committed = readFileSync(new URL(`../../docs/screenshots/${file}`, import.meta.url));
      assert.ok(Buffer.from(await png.arrayBuffer()).equals(committed), `${file} is the committed screenshot`);
    }
    const missing = await fetch(`${f.server.url}/install/nothing.png`);
    assert.equal(missing.status, 404);
    assert.equal(((await missing.json()) as { error: { code: string } }).error.code, 'not_found');
  });

  test('the TornPDA steps: load by URL, the permissions dialog, a Public key set for the script, updates by hand', async () => {
    const html = await (await fetch(f.server.url + '/install')).text();
    const start = html.indexOf('<section class="card" id="tornpda">');
    assert.ok(start > 0, 'a TornPDA section');
    const pda = html.slice(start, html.indexOf('</section>', start)).replace(/<[^>]+>/g, '');
    // TornPDA's own words for its screens (Manuito83/torn-pda, lib/widgets/settings/userscripts_add_dialog.dart, 2026-07-25).
    for (const words of ['Remote load/update', 'Fetch', 'Script permissions', 'Set API Key', 'Update'])
      assert.ok(pda.includes(words), `names PDA's “${words}”`);
    assert.ok(pda.includes(`${f.server.url}/torn-war-caller-sse.user.js`), 'the URL to load');
    assert.match(pda, /Public key made for TornCat/);
    assert.match(pda, /its own key, a Limited one/);
    assert.match(pda, /a pasted script never gets them/);
    assert.match(pda, /apply it yourself/);
    assert.doesNotMatch(html, /paste the script/, 'no longer tells members to paste it');
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

  test('@version is the package version then a serial that grows with every change of bundle or settings', async () => {
    const versionAt = async (url: string, headers: Record<string, string> = {}) => {
      const text = await (await fetch(url + '/torn-war-caller-sse.user.js', { headers })).text();
      const version = /@version +(\S+)$/m.exec(text)?.[1] ?? '';
      assert.match(version, /^\d+\.\d+\.\d+\.\d+$/);
      assert.ok(text.includes(`"version": "${version}"`), 'the panel shows the same version');
      return version;
    };
    const serial = (v: string) => Number(v.split('.')[3]);
    const first = await versionAt(f.server.url);
    assert.equal(await versionAt(f.server.url), first, 'the same script keeps its version');
    // A Host header is the script's own URL, not its content: it must not mint versions.
    assert.equal(await versionAt(f.server.url, { Host: 'elsewhere.example:8080' }), first);
    // Restarted on the same database with other settings, the server serves a changed script: a
    // higher version, which managers (comparing part by part) take as an update.
    await f.restart({ USERSCRIPT_POLL_INTERVAL_MS: '4321' });
    const changed = await versionAt(f.server.url);
    assert.ok(serial(changed) > serial(first), `${changed} > ${first}`);
    assert.equal(await versionAt(f.server.url), changed);
    // Back on the first settings, the first version again: every node of a deployment agrees.
    await f.restart();
    assert.equal(await versionAt(f.server.url), first);
  });
});
