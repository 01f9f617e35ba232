// The panel on torn.com shows Torn's terms table with the key field, before a key is typed, and
// "Forget my key" deletes the key on the server and brings that sign-in back.
import { describe, test, before } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { pgliteBackend } from '../helpers/databases.js';
import { PHONE, chromiumSkipReason, launchChromium, screenshotDir, type TestBrowser } from '../helpers/chromium.js';
import { teardown } from '../helpers/teardown.js';
import { demoKey, startWarFixture, type WarFixture } from '../helpers/war-fixture.js';
import { CREATE_KEY_URL, TERMS } from '../../src/protocol/terms.js';
import { startTornPage } from './torn-page.js';
import { openScriptPage, servedScript, signInOnPanel } from './script-page.js';

const pglite = await pgliteBackend();
const skip = await chromiumSkipReason();
const shots = screenshotDir();

describe('the panel’s terms and key controls on a torn.com stand-in in Chromium', { skip }, () => {
  let f: WarFixture;
  let torn: { origin: string; close(): Promise<void> };
  let browser: TestBrowser;
  let script: string;

  const closeLater = teardown();

  before(async () => {
    torn = closeLater(await startTornPage());
    f = closeLater(await startWarFixture(pglite, { env: { TORNCAT_ALLOWED_ORIGINS: torn.origin } }));
    await f.signIn(2002); // keeps the faction polled whatever the panel's member does
    await f.sync(1001);
    script = await servedScript(f.server.url);
    browser = closeLater(await launchChromium());
  });

  const open = (viewport?: { width: number; height: number }) => openScriptPage(browser, script, { url: torn.origin + '/torn', viewport });

  const panel = (page: Page) => page.locator('#torncat-panel');
  const requestsBy = async (playerId: number) => (await f.simControl('/__sim/stats')).byKey[demoKey(playerId)] ?? 0;

  async function assertTermsBeforeKey(page: Page): Promise<void> {
    const table = panel(page).locator('table.terms');
    await table.waitFor();
    const key = panel(page).getByLabel(/Torn API key/);
    assert.equal(await key.inputValue(), '', 'no key typed yet');
    assert.match((await panel(page).locator('label').filter({ hasText: 'Torn API key' }).textContent()) ?? '', /Public access is enough/);
    assert.deepEqual(
      await table.locator('thead th').allTextContents(),
      TERMS.map((t) => t.title),
    );
    const cells = table.locator('tbody td');
    for (const [i, t] of TERMS.entries()) {
      assert.equal(await cells.nth(i).locator('b').textContent(), t.answer);
      assert.ok(((await cells.nth(i).textContent()) ?? '').endsWith(t.detail), t.title);
    }
    const [tableBox, keyBox] = [await table.boundingBox(), await key.boundingBox()];
    assert.ok(tableBox && keyBox && tableBox.y < keyBox.y, 'the table comes before the key field');
    // The panel scrolls its settings: the table may be taller than the panel, the field stays reachable.
    await key.scrollIntoViewIfNeeded();
    assert.ok(await key.isVisible());
    assert.equal(
      await panel(page)
        .getByRole('link', { name: /Create a Public key/ })
        .getAttribute('href'),
      CREATE_KEY_URL,
    );
  }

  test('a panel not signed in opens on the terms table, above the key field', async () => {
    const { page, errors } = await open();
    await assertTermsBeforeKey(page);
    assert.doesNotMatch((await panel(page).textContent()) ?? '', /Your key goes to this server only/);
    const labels = await panel(page)
      .locator('table.terms tbody td')
      .evaluateAll((tds) => tds.map((td) => getComputedStyle(td, '::before').content));
    assert.deepEqual(
      labels,
      TERMS.map((t) => JSON.stringify(t.title)),
      'each stacked column is headed by its name',
    );
    assert.deepEqual(errors, []);
    if (shots) await page.screenshot({ path: join(shots, 'panel-terms.png') });
    await page.close();
  });

  test('at 390 px the panel and its terms fit the screen', async () => {
    const { page } = await open(PHONE);
    await assertTermsBeforeKey(page);
    const box = await panel(page).locator('section.tc').boundingBox();
    assert.ok(box && box.x >= 0 && box.x + box.width <= 390, JSON.stringify(box));
    if (shots) await page.screenshot({ path: join(shots, 'panel-terms-phone.png') });
    await page.close();
  });

  test('“Forget my key” deletes the key and ends the session: Torn sees no further request with it, and the terms are back', async () => {
    const { page } = await open();
    await signInOnPanel(page, 2001);
    await panel(page).locator('li[data-target-id]').nth(24).waitFor();
    await f.sync(1001);
    await f.sync(1001);
    assert.ok((await requestsBy(2001)) > 0, 'the key was in the pool');

    await panel(page).getByRole('button', { name: 'Settings' }).click();
    assert.equal(await panel(page).locator('table.terms').isVisible(), false, 'signed in, the key field and terms are away');
    if (shots) await page.screenshot({ path: join(shots, 'panel-signed-in-settings.png') });
    await panel(page).getByRole('button', { name: 'Forget my key' }).click();
    await panel(page).locator('.msg', { hasText: 'deleted your API key' }).waitFor();
    await assertTermsBeforeKey(page);
    assert.equal(await page.evaluate(() => (window as any).GM_getValue('torncat.token', null)), null);
    const keys = await f.db.query<{ n: number }>('select count(*)::int as n from api_keys where player_id = 2001');
    assert.equal(keys.rows[0].n, 0);

    const before = await requestsBy(2001);
    for (let i = 0; i < 4; i++) await f.sync(1001);
    assert.equal(await requestsBy(2001), before);
    await page.close();
  });
});
