// The board's sign-in shows Torn's terms table before a key is typed, readable at desktop and phone
// width; "Forget my key" deletes the key on the server and brings that sign-in back.
import { describe, test, before } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { pgliteBackend } from '../helpers/databases.js';
import { signInOnBoard } from './board-page.js';
import { teardown } from '../helpers/teardown.js';
import { DESKTOP, PHONE, chromiumSkipReason, launchChromium, screenshotDir, type TestBrowser } from '../helpers/chromium.js';
import { demoKey, startWarFixture, type WarFixture } from '../helpers/war-fixture.js';
import { CREATE_KEY_URL, TERMS } from '../../src/protocol/terms.js';

const pglite = await pgliteBackend();
const skip = await chromiumSkipReason();
/** Set SCREENSHOT_DIR to keep screenshots of the sign-in (desktop and phone width). */
const shots = screenshotDir();

describe('the board’s terms and key controls in Chromium', { skip }, () => {
  let f: WarFixture;
  let browser: TestBrowser;
  let page: Page;

  const closeLater = teardown();

  before(async () => {
    f = closeLater(await startWarFixture(pglite));
    await f.signIn(2002); // keeps the faction polled whatever 2001 does
    await f.sync(1001);
    browser = closeLater(await launchChromium());
    page = await browser.context.newPage();
  });

  const terms = () => page.locator('#signin table.terms');
  const requestsBy = async (playerId: number) => (await f.simControl('/__sim/stats')).byKey[demoKey(playerId)] ?? 0;

  async function assertTermsShown(keyTyped = false): Promise<void> {
    await terms().waitFor();
    if (!keyTyped) assert.equal(await page.getByLabel(/Torn API key/).inputValue(), '', 'no key typed yet');
    assert.deepEqual(
      await terms()
        .locator('thead th')
        .evaluateAll((ths) => ths.map((th) => th.firstChild?.textContent)),
      TERMS.map((t) => t.title),
    );
    const cells = terms().locator('tbody td');
    assert.equal(await cells.count(), 5);
    for (const [i, t] of TERMS.entries()) {
      assert.equal(await cells.nth(i).locator('b').textContent(), t.answer);
      assert.ok(((await cells.nth(i).textContent()) ?? '').endsWith(t.detail));
    }
  }

  test('the sign-in shows the terms table, five columns side by side, and the link to create a Public key', async () => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(f.server.url + '/');
    await assertTermsShown();
    const heads = await terms()
      .locator('thead th')
      .evaluateAll((ths) => ths.map((th) => th.getBoundingClientRect().toJSON()));
    assert.ok(
      heads.every((h, i) => i === 0 || (h.x > heads[i - 1].x && Math.abs(h.y - heads[0].y) < 1)),
      'one row of five columns',
    );
    assert.ok(
      heads.every((h) => h.width > 150),
      `columns wide enough to read: ${heads.map((h) => Math.round(h.width))}`,
    );
    const link = page.getByRole('link', { name: /Create a Public key/ });
    assert.equal(await link.getAttribute('href'), CREATE_KEY_URL);
    assert.equal(await link.getAttribute('rel'), 'noopener');
    assert.match((await page.getByLabel(/Torn API key/).getAttribute('aria-describedby')) ?? '', /terms-title/);
    assert.deepEqual(errors, []);
    if (shots) await page.screenshot({ path: join(shots, 'signin-terms.png'), fullPage: true });
  });

  test('at phone width the columns stack, each headed by its name, with nothing wider than the screen', async () => {
    await page.setViewportSize(PHONE);
    await page.reload();
    await assertTermsShown();
    const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(scrollWidth <= 390, `no horizontal scroll (${scrollWidth})`);
    const labels = await terms()
      .locator('tbody td')
      .evaluateAll((tds) => tds.map((td) => getComputedStyle(td, '::before').content));
    assert.deepEqual(
      labels,
      TERMS.map((t) => JSON.stringify(t.title)),
    );
    const boxes = await terms()
      .locator('tbody td')
      .evaluateAll((tds) => tds.map((td) => td.getBoundingClientRect().toJSON()));
    assert.ok(
      boxes.every((b, i) => i === 0 || b.y >= boxes[i - 1].y + boxes[i - 1].height - 1),
      'one under another',
    );
    assert.ok(await page.getByLabel(/Torn API key/).isVisible(), 'the key field is on the page');
    if (shots) await page.screenshot({ path: join(shots, 'signin-terms-phone.png'), fullPage: true });
    await page.setViewportSize(DESKTOP);
  });

  test('a key that cannot read what TornCat needs is refused with the level to create, readable at phone width', async () => {
    await page.setViewportSize(PHONE);
    await f.simControl(`/__sim/keys/${demoKey(2003)}/access`, { level: 0, type: 'Custom', selections: { user: ['profile'] } });
    await signInOnBoard(page, 2003);
    const alert = page.getByRole('alert');
    await alert.filter({ hasText: 'needs a Public key' }).waitFor();
    assert.ok(((await alert.textContent()) ?? '').includes(CREATE_KEY_URL));
    const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(scrollWidth <= 390, `the link in the message wraps (${scrollWidth})`);
    await assertTermsShown(true);
    if (shots) await page.screenshot({ path: join(shots, 'signin-refused-phone.png') });
    await page.getByLabel(/Torn API key/).fill('');
    await page.setViewportSize(DESKTOP);
  });

  test('“Forget my key” deletes the key and ends the session: Torn sees no further request with it, and the sign-in is back', async () => {
    await signInOnBoard(page, 2001);
    await page.locator('#targets tbody tr').nth(24).waitFor();
    await page.locator('#transport[data-state="live"]').waitFor();
    await f.sync(1001);
    await f.sync(1001);
    assert.ok((await requestsBy(2001)) > 0, 'the key was in the pool');
    if (shots) await page.screenshot({ path: join(shots, 'board-signed-in-header.png'), clip: { x: 0, y: 0, width: 1280, height: 120 } });

    await page.getByRole('button', { name: 'Forget my key' }).click();
    await page.getByRole('alert').filter({ hasText: 'deleted your API key' }).waitFor();
    await assertTermsShown();
    assert.equal(await page.evaluate(() => localStorage.getItem('torncat.token')), null);
    const keys = await f.db.query<{ n: number }>('select count(*)::int as n from api_keys where player_id = 2001');
    assert.equal(keys.rows[0].n, 0);

    const before = await requestsBy(2001);
    for (let i = 0; i < 4; i++) await f.sync(1001);
    assert.equal(await requestsBy(2001), before);
    if (shots) await page.screenshot({ path: join(shots, 'signin-after-forget.png'), fullPage: false });
  });

  test('signing out of the only session says the key is gone from the server', async () => {
    await signInOnBoard(page, 2004);
    await page.locator('#targets tbody tr').nth(24).waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('alert').filter({ hasText: 'no longer stores your API key' }).waitFor();
    await assertTermsShown();
    const keys = await f.db.query<{ n: number }>('select count(*)::int as n from api_keys where player_id = 2004');
    assert.equal(keys.rows[0].n, 0);
  });
});
