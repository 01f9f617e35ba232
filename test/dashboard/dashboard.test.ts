import { describe, test, before } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { pgliteBackend } from '../helpers/databases.js';
import { recordPageErrors, signInOnBoard } from './board-page.js';
import { teardown } from '../helpers/teardown.js';
import { DESKTOP, PHONE, chromiumSkipReason, launchChromium, screenshotDir, type TestBrowser } from '../helpers/chromium.js';
import { demoKey, startWarFixture, type WarFixture } from '../helpers/war-fixture.js';

const pglite = await pgliteBackend();
const skip = await chromiumSkipReason();
/** Set SCREENSHOT_DIR to keep screenshots of the board (desktop and phone width). */
const shots = screenshotDir();

describe('dashboard in Chromium', { skip }, () => {
  let f: WarFixture;
  let browser: TestBrowser;
  let page: Page;
  let other: { token: string; name: string };

  const closeLater = teardown();

  before(async () => {
    f = closeLater(await startWarFixture(pglite));
    const r = await f.api('/api/auth', { body: { apiKey: demoKey(2002) } });
    other = { token: r.body.token, name: r.body.player.name };
    await f.sync(1001);
    browser = closeLater(await launchChromium());
    page = await browser.context.newPage();
  });

  const row = (id: number) => page.locator(`#targets tbody tr[data-target-id="${id}"]`);

  test('GET / is one self-contained HTML page with a CSP that allows only its own inline script and style', async () => {
    const res = await fetch(f.server.url + '/');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/html; charset=utf-8/);
    assert.equal(res.headers.get('cache-control'), 'no-cache');
    const csp = res.headers.get('content-security-policy') ?? '';
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'sha256-[A-Za-z0-9+/=]+'/);
    assert.match(csp, /connect-src 'self'/);
    const html = await res.text();
    // Addresses that are not loads may appear: Torn's own links, the SVG namespace the score chart's
    // elements are made in, and the Discord webhook URL's shape in the box's placeholder.
    assert.doesNotMatch(
      html,
      /<script[^>]+src=|<link[^>]+stylesheet|https?:\/\/(?!www\.torn\.com|www\.w3\.org\/2000\/svg|discord\.com\/api\/webhooks\/)/,
      'nothing loaded from elsewhere',
    );
    const again = await fetch(f.server.url + '/', { headers: { 'if-none-match': res.headers.get('etag') ?? '' } });
    assert.equal(again.status, 304);
  });

  test('signing in through the form shows the war and 25 targets, over a live SSE stream', async () => {
    const errors: string[] = [];
    recordPageErrors(page, errors);
    await page.goto(f.server.url + '/');
    await signInOnBoard(page, 2001);
    await page.locator('#targets tbody tr').nth(24).waitFor();
    assert.equal(await page.locator('#targets tbody tr').count(), 25);
    await page.locator('#transport[data-state="live"]').waitFor();
    assert.equal(await page.locator('#transport').textContent(), 'EventSource · live');
    assert.match((await page.locator('#war').textContent()) ?? '', /vs Demo Rivals/);
    assert.match((await page.locator('#score').textContent()) ?? '', /^\d+ : \d+ \(target \d+\)$/);
    assert.equal(await page.locator('[data-count="targets"] b').textContent(), '25');
    assert.match((await row(3001).locator('td.name a').getAttribute('href')) ?? '', /profiles\.php\?XID=3001$/);
    assert.match((await row(3001).locator('a.attack').getAttribute('href')) ?? '', /page\.php\?sid=attack&user2ID=3001$/);
    assert.ok(await page.evaluate(() => localStorage.getItem('torncat.token')), 'the token is kept');
    assert.deepEqual(errors, [], 'no script error, no CSP violation, no failed request');
    if (shots) await page.screenshot({ path: join(shots, 'dashboard.png'), fullPage: true });
  });

  test('clicking Call marks the row as ours, lists the call, and Release undoes it', async () => {
    await row(3002)
      .getByRole('button', { name: /Call VelvetBlade/ })
      .click();
    await row(3002).locator('td.caller', { hasText: 'you' }).waitFor();
    assert.equal(await row(3002).locator('button[data-op="call"], button[data-op="release"]').textContent(), 'Release');
    // The row turns ours before the server answers; the answer makes its button usable again.
    await row(3002).locator('button.release:not([disabled])').waitFor();
    assert.match((await page.locator('#calls').textContent()) ?? '', /→ VelvetBlade_18 \(expires in 1[45]:\d\d\)/);
    const api = await f.api('/api/war', { token: other.token });
    assert.ok(
      api.body.calls.some((c: any) => c.targetId === 3002 && c.callerId === 2001),
      'the server has the call',
    );
    await row(3002)
      .getByRole('button', { name: /Release/ })
      .click();
    await row(3002).locator('td.caller:empty').waitFor();
    assert.equal(await row(3002).locator('button[data-op="call"], button[data-op="release"]').textContent(), 'Call');
  });

  test("another member's call through the API appears live, without a reload", async () => {
    await page.evaluate(() => ((window as any).__sameDocument = true));
    const snapshots = await page.evaluate(() => document.body.dataset.snapshots);
    const r = await f.api('/api/calls', { token: other.token, body: { ops: [{ op: 'call', targetId: 3003 }] } });
    assert.equal(r.body.results[0].ok, true);
    await row(3003).locator('td.caller', { hasText: other.name }).waitFor({ timeout: 5000 });
    assert.equal(await row(3003).locator('button[data-op="call"]').isDisabled(), true, 'a call held by someone else cannot be taken');
    assert.equal(await page.evaluate(() => (window as any).__sameDocument), true, 'same document: no reload');
    assert.equal(await page.evaluate(() => document.body.dataset.snapshots), snapshots, 'applied from the event, not a re-read');
    assert.equal(await page.evaluate(() => document.body.dataset.seq), String(r.body.seq));
  });

  test('a status change pushed by the sync shows, and its countdown ticks on the server clock', async () => {
    const war = await f.api('/api/war', { token: other.token });
    await f.simControl('/__sim/players/3006/status', {
      state: 'Hospital',
      until: war.body.serverTime + 600,
      description: 'In hospital for 10 mins',
    });
    await f.sync(1001);
    const status = row(3006).locator('td.status');
    await page.waitForFunction(() =>
      /^Hosp (9:5\d|10:00)$/.test(document.querySelector('tr[data-target-id="3006"] td.status')?.textContent ?? ''),
    );
    const first = (await status.textContent()) ?? '';
    await page.waitForFunction((t) => document.querySelector('tr[data-target-id="3006"] td.status')?.textContent !== t, first, {
      timeout: 3000,
    });
    const secs = (s: string) => {
      const [m, ss] = s.replace('Hosp ', '').split(':').map(Number);
      return m * 60 + ss;
    };
    const later = (await status.textContent()) ?? '';
    assert.ok(secs(later) < secs(first), `${later} < ${first}`);
    assert.match((await page.locator('#next').textContent()) ?? '', /SwiftHawk_14|\d+:\d\d/);
  });

  test('a refused call says who holds the target', async () => {
    // No stream, SSE or long-poll: the board cannot know that 2002 took 3004 meanwhile.
    await page.route('**/events?*', (route) => route.abort());
    await page.reload();
    await row(3004).waitFor();
    await f.api('/api/calls', { token: other.token, body: { ops: [{ op: 'call', targetId: 3004 }] } });
    await row(3004).getByRole('button', { name: /Call/ }).click();
    const alert = page.getByRole('alert');
    await alert.filter({ hasText: 'already called' }).waitFor();
    assert.match((await alert.textContent()) ?? '', new RegExp(`already called by ${other.name} \\[2002\\]`));
    await row(3004).locator('td.caller:empty').waitFor();
    assert.match(
      (await row(3004).locator('button[data-op="call"], button[data-op="release"]').textContent()) ?? '',
      /^Call( for exit)?$/,
      'the row shown as ours is rolled back',
    );
    await page.unroute('**/events?*');
  });

  test('where SSE cannot get through, the board climbs down to long-poll and stays live', async () => {
    // A proxy that refuses the stream: EventSource fails, the long-poll (/api/events) still passes.
    await page.route('**/events?token=*', (route) => route.abort());
    await page.reload();
    await page.locator('#transport[data-state="live"]').waitFor();
    assert.equal(await page.locator('#transport').textContent(), 'long-poll · live');
    const snapshots = await page.evaluate(() => document.body.dataset.snapshots);
    const r = await f.api('/api/calls', { token: other.token, body: { ops: [{ op: 'release', targetId: 3003 }] } });
    assert.equal(r.body.results[0].ok, true);
    await row(3003).locator('td.caller:empty').waitFor({ timeout: 5000 });
    assert.equal(await page.evaluate(() => document.body.dataset.seq), String(r.body.seq));
    assert.equal(await page.evaluate(() => document.body.dataset.snapshots), snapshots, 'applied from the long-poll, not a re-read');
    await page.unroute('**/events?token=*');
  });

  test('at phone width the targets come first, the rest folds away, every target keeps its button, and sign-out forgets the token', async () => {
    await page.setViewportSize(PHONE);
    await page.reload();
    await page.locator('#transport[data-state="live"]').waitFor();
    assert.equal(await page.locator('#targets tbody tr').count(), 25);
    // The first target and its Call button on the first screen, above everything but the header.
    const first = await page.locator('#targets tbody tr').first().locator('td.actions button').first().boundingBox();
    assert.ok(first && first.y + first.height <= 844, `the first target's button is on the first screen: ${JSON.stringify(first)}`);
    const targetsTop = (await page.locator('#targets').boundingBox())!.y;
    const intel = page.locator('#intel > summary');
    assert.ok(targetsTop < (await intel.boundingBox())!.y, 'the targets come before the folded panels');
    for (const id of ['#counts', '#next', '#calls', '#assists', '#lead'])
      assert.equal(await page.locator(id).isVisible(), false, `${id} is folded away`);
    await intel.click();
    await page.locator('#counts').waitFor();
    assert.equal(await page.locator('#next').isVisible(), true, 'the summary unfolds them');
    await intel.click();
    await page.locator('#counts').waitFor({ state: 'hidden' });
    for (const b of await row(3002).locator('td.actions .acts > *:visible').all()) {
      const box = await b.boundingBox();
      assert.ok(box && box.x + box.width <= 390, 'every control fits in the screen');
    }
    const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(scrollWidth <= 390, `no horizontal scroll (${scrollWidth})`);
    await page.evaluate(() => scrollTo(0, 0));
    if (shots) await page.screenshot({ path: join(shots, 'dashboard-phone.png'), fullPage: false });
    await page.setViewportSize(DESKTOP);
    await page.locator('#counts').waitFor();
    assert.equal(await intel.isVisible(), false, 'on a wide screen nothing folds');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel(/Torn API key/).waitFor();
    assert.equal(await page.evaluate(() => localStorage.getItem('torncat.token')), null);
  });
});
