import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { pgliteBackend } from '../helpers/databases.js';
import { rawGet } from '../helpers/raw-get.js';
import { chromiumSkipReason, launchChromium, screenshotDir, type TestBrowser } from '../helpers/chromium.js';
import { teardown } from '../helpers/teardown.js';
import { demoKey, startWarFixture, type WarFixture } from '../helpers/war-fixture.js';
import { startTornPage } from './torn-page.js';
import { openScriptPage, servedScript, signInOnPanel } from './script-page.js';

const pglite = await pgliteBackend();
const skip = await chromiumSkipReason();
const shots = screenshotDir();

/** What `find` returns once it returns something: for Node-side records, such as the manager's request log. */
async function eventually<T>(what: string, find: () => T | undefined, timeoutMs = 5000): Promise<T> {
  for (const end = Date.now() + timeoutMs; Date.now() < end; await new Promise((r) => setTimeout(r, 20))) {
    const found = find();
    if (found !== undefined) return found;
  }
  assert.fail(`timed out waiting for ${what}`);
}

describe('served userscripts', () => {
  let f: WarFixture;
  before(async () => {
    // Behind a proxy: X-Forwarded-Proto counts only when it is trusted (test/server/public-url.test.ts covers both ways).
    f = await startWarFixture(pglite, { env: { USERSCRIPT_POLL_INTERVAL_MS: '700', TORNCAT_TRUST_PROXY: '1' } });
  });
  after(() => f.close());

  test('the realtime script has a userscript header naming this server as reached through its proxy', async () => {
    const r = await rawGet(f.server.url + '/torn-war-caller-sse.user.js', { host: 'torncat.onrender.com', 'x-forwarded-proto': 'https' });
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-type'], 'text/javascript; charset=utf-8');
    assert.equal(r.headers['cache-control'], 'no-cache');
    const header = r.text.slice(0, r.text.indexOf('// ==/UserScript==') + 18);
    assert.match(header, /^\/\/ ==UserScript==\n/);
    for (const line of [
      /@match +https:\/\/www\.torn\.com\/\*$/m,
      /@connect +torncat\.onrender\.com$/m,
      /@grant +GM_xmlhttpRequest$/m,
      /@grant +GM_getValue$/m,
      /@grant +GM_setValue$/m,
      /@grant +GM_notification$/m,
      /@downloadURL +https:\/\/torncat\.onrender\.com\/torn-war-caller-sse\.user\.js$/m,
      /@updateURL +https:\/\/torncat\.onrender\.com\/torn-war-caller-sse\.user\.js$/m,
      /@version +\d+\.\d+\.\d+\.\d+$/m,
    ]) {
      assert.match(header, line);
    }
    assert.match(r.text, /"server": "https:\/\/torncat\.onrender\.com"/);
    assert.match(r.text, /"rungs": \[\s*"eventsource",\s*"gm-stream",\s*"long-poll",\s*"poll"\s*\]/);
    assert.doesNotMatch(r.text, /^\s*(import|export) /m, 'plain script, no modules');
    new Function(r.text); // parses as a classic script
  });

  test('the polling script carries the seed intervals from the server config', async () => {
    const r = await rawGet(f.server.url + '/torn-war-caller.user.js', { host: 'caller.example.org:8443', 'x-forwarded-proto': 'https' });
    assert.match(r.text, /@downloadURL +https:\/\/caller\.example\.org:8443\/torn-war-caller\.user\.js$/m);
    assert.match(r.text, /@connect +caller\.example\.org$/m);
    assert.match(r.text, /"rungs": \[\s*"poll"\s*\]/);
    assert.match(r.text, /"syncIntervalMs": 700,/);
    assert.match(r.text, /"warCheckIntervalMs": 60000,/);
    assert.match(r.text, /"targetStatusRefreshIntervalMs": 5000,/);
    assert.match(r.text, /"ownFactionRefreshIntervalMs": 30000/);
  });

  test('a forged Host header cannot write into the script', async () => {
    const r = await rawGet(f.server.url + '/torn-war-caller-sse.user.js', { host: 'evil.com";alert(1);"' });
    assert.equal(r.status, 200);
    assert.doesNotMatch(r.text, /alert\(1\)/);
    assert.match(r.text, /@connect +127\.0\.0\.1$/m);
  });
});

describe('userscript on a torn.com stand-in in Chromium', { skip }, () => {
  let f: WarFixture;
  let torn: { origin: string; close(): Promise<void> };
  let browser: TestBrowser;
  let sse: string;
  let polling: string;
  let other: { token: string; name: string };

  const closeLater = teardown();

  before(async () => {
    torn = closeLater(await startTornPage());
    // The relaxed page may use EventSource towards us, as our own dashboard can.
    f = closeLater(
      await startWarFixture(pglite, {
        env: { TORNCAT_ALLOWED_ORIGINS: torn.origin, USERSCRIPT_POLL_INTERVAL_MS: '700', MAX_ACTIVE_CALLS_PER_MEMBER: '25' },
      }),
    );
    const r = await f.api('/api/auth', { body: { apiKey: demoKey(2002) } });
    other = { token: r.body.token, name: r.body.player.name };
    await f.sync(1001);
    sse = await servedScript(f.server.url);
    polling = await servedScript(f.server.url, 'torn-war-caller.user.js');
    browser = closeLater(await launchChromium());
  });

  const open = (path: string, script: string, options: { streaming?: boolean } = {}) =>
    openScriptPage(browser, script, {
      url: torn.origin + path,
      manager: options.streaming === false ? 'non-streaming GM' : 'streaming GM',
    });

  async function signIn(page: Page, playerId: number): Promise<void> {
    await signInOnPanel(page, playerId);
    await page.locator('#torncat-panel').locator('li[data-target-id]').nth(24).waitFor();
  }

  const attr = (page: Page, name: string) => page.locator('#torncat-panel').getAttribute(name);
  const waitRung = (page: Page, rung: string) =>
    page.locator(`#torncat-panel[data-rung="${rung}"][data-rung-state="live"]`).waitFor({ state: 'attached', timeout: 20_000 });
  const row = (page: Page, id: number) => page.locator(`#torncat-panel li[data-target-id="${id}"]`);
  const callAs = (token: string, op: 'call' | 'release', targetId: number) =>
    f.api('/api/calls', { token, body: { ops: [{ op, targetId }] } });
  const headSeq = async () => (await f.api('/api/war', { token: other.token })).body.seq as number;

  test('under torn.com CSP, EventSource is blocked and the panel goes live on the GM stream; a call made elsewhere shows', async () => {
    const { page, log, errors } = await open('/torn', sse);
    await signIn(page, 2001);
    await waitRung(page, 'gm-stream');
    assert.match((await page.locator('#torncat-panel .rung').textContent()) ?? '', /GM stream · live/);
    const violations = await page.evaluate(() => (window as any).__cspViolations as { directive: string; uri: string }[]);
    assert.ok(
      violations.some((v) => v.directive === 'connect-src' && v.uri.startsWith(f.server.url)),
      `the page's CSP blocked EventSource: ${JSON.stringify(violations)}`,
    );
    assert.ok(
      log.some((e) => e.stream && e.url.includes('/events?lastEventId=')),
      'the stream went through GM_xmlhttpRequest',
    );

    const before = await attr(page, 'data-snapshots');
    const r = await callAs(other.token, 'call', 3005);
    assert.equal(r.body.results[0].ok, true);
    await row(page, 3005)
      .locator('.caller', { hasText: `called by ${other.name}` })
      .waitFor({ timeout: 5000 });
    assert.equal(await attr(page, 'data-snapshots'), before, 'applied from the stream');
    assert.equal(await attr(page, 'data-seq'), String(r.body.seq));
    assert.match((await page.locator('#torncat-panel .score').textContent()) ?? '', /^\d+ : \d+ \/ \d+$/);
    assert.deepEqual(errors, []);
    if (shots) await page.screenshot({ path: join(shots, 'panel-gm-stream.png') });

    // A call from the panel: the row turns ours at once; the stream is aborted, the call sent, and
    // once the answer is in (the button usable again) the stream resumes from the last id.
    await row(page, 3002).getByRole('button', { name: /Call/ }).click();
    await row(page, 3002).locator('.caller', { hasText: 'called by you' }).waitFor();
    await row(page, 3002).locator('button.release:not([disabled])').waitFor();
    const post = log.find((e) => e.method === 'POST' && e.url.endsWith('/api/calls'));
    assert.ok(post, 'the call went through GM_xmlhttpRequest');
    const cut = log.find((e) => e.stream && e.aborted && (e.endedAt ?? 0) <= post.startedAt);
    assert.ok(cut, 'the stream was aborted before the call was sent');
    const resumed = await eventually('a new stream after the call', () =>
      log.find((e) => e.stream && e !== cut && e.startedAt >= post.startedAt),
    );
    assert.match(resumed.url, /lastEventId=\d+$/);
    await waitRung(page, 'gm-stream');
    await page.close();
  });

  test('where CSP allows it, the ladder uses native EventSource', async () => {
    const { page, log, errors } = await open('/relaxed', sse);
    await signIn(page, 2003);
    await waitRung(page, 'eventsource');
    assert.ok(!log.some((e) => e.stream), 'no GM stream was needed');
    const r = await callAs(other.token, 'call', 3007);
    await row(page, 3007)
      .locator('.caller', { hasText: `called by ${other.name}` })
      .waitFor({ timeout: 5000 });
    assert.equal(await attr(page, 'data-seq'), String(r.body.seq));
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('a manager that cannot stream makes the ladder step down to long-poll', async () => {
    const { page } = await open('/torn', sse, { streaming: false });
    await signIn(page, 2004);
    await waitRung(page, 'long-poll');
    const r = await callAs(other.token, 'call', 3008);
    await row(page, 3008)
      .locator('.caller', { hasText: `called by ${other.name}` })
      .waitFor({ timeout: 5000 });
    assert.equal(await attr(page, 'data-seq'), String(r.body.seq));
    await page.close();
  });

  test('forced long-poll, then GM stream, then polling: calls made while switching all arrive, none twice, no re-read', async () => {
    const { page, log } = await open('/torn', sse);
    await signIn(page, 2005);
    await waitRung(page, 'gm-stream');
    const select = page.locator('#torncat-panel select[name="rung"]');
    await page.locator('#torncat-panel').getByRole('button', { name: 'Settings' }).click();

    await select.selectOption('long-poll');
    await waitRung(page, 'long-poll');
    assert.ok(
      log.some((e) => e.url.includes('/api/events?since=')),
      'long-poll requests',
    );
    await callAs(other.token, 'call', 3009);
    await row(page, 3009).locator('.caller', { hasText: other.name }).waitFor({ timeout: 5000 });
    const snapshots = await attr(page, 'data-snapshots');
    const events = Number(await attr(page, 'data-events'));

    // Switch while calls are being made: each rung resumes from the last id the panel applied.
    await select.selectOption('gm-stream');
    await callAs(other.token, 'release', 3009);
    await callAs(other.token, 'call', 3010);
    await waitRung(page, 'gm-stream');
    await callAs(other.token, 'call', 3011);
    await row(page, 3011).locator('.caller', { hasText: other.name }).waitFor({ timeout: 5000 });
    assert.equal(await row(page, 3009).locator('.caller').textContent(), '', 'the release arrived');
    await row(page, 3010).locator('.caller', { hasText: other.name }).waitFor();
    assert.equal(await attr(page, 'data-seq'), String(await headSeq()));
    assert.equal(await attr(page, 'data-snapshots'), snapshots, 'nothing missed: no re-read was needed');
    assert.equal(Number(await attr(page, 'data-events')), events + 3, 'each event applied exactly once');

    await select.selectOption('poll');
    await callAs(other.token, 'release', 3010);
    await waitRung(page, 'poll');
    await row(page, 3010).locator('.caller:empty').waitFor({ state: 'attached', timeout: 5000 });
    assert.equal(await attr(page, 'data-seq'), String(await headSeq()));
    if (shots) await page.screenshot({ path: join(shots, 'panel-settings.png') });

    await select.selectOption('');
    await waitRung(page, 'gm-stream');
    await page.close();
  });

  test('the polling build polls the snapshot and shows a call made elsewhere', async () => {
    const { page, log } = await open('/torn', polling);
    await signIn(page, 2006);
    await waitRung(page, 'poll');
    assert.equal(await page.locator('#torncat-panel select[name="rung"]').isDisabled(), true);
    const r = await callAs(other.token, 'call', 3012);
    await row(page, 3012).locator('.caller', { hasText: other.name }).waitFor({ timeout: 5000 });
    assert.ok(Number(await attr(page, 'data-seq')) >= r.body.seq);
    assert.ok(!log.some((e) => e.stream || e.url.includes('/api/events')), 'only snapshots');
    await page.close();
  });

  test('sign-out from the panel forgets the token and stops the stream', async () => {
    const { page } = await open('/torn', sse);
    await signIn(page, 2007);
    await waitRung(page, 'gm-stream');
    await page.locator('#torncat-panel').getByRole('button', { name: 'Settings' }).click();
    await page.locator('#torncat-panel').getByRole('button', { name: 'Sign out' }).click();
    await page.locator('#torncat-panel .msg', { hasText: 'Signed out' }).waitFor();
    assert.equal(await page.evaluate(() => (window as any).GM_getValue('torncat.token', null)), null);
    assert.equal(await page.locator('#torncat-panel li[data-target-id]').count(), 0);
    await page.close();
  });
});
