// The board's sort, filters and activity marks, and the enemy's chain beside ours with its alerts, in
// Chromium against the real server and the Torn simulator: the member's choice survives a reload; the
// enemy's chain comes from the war's own answer (the simulator's `wars.ranked.factions[].chain`) and
// costs no Torn request of its own; its alerts fire once per chain.
import { describe, test, before } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { pgliteBackend } from '../helpers/databases.js';
import { recordPageErrors, signInOnBoard } from './board-page.js';
import { teardown } from '../helpers/teardown.js';
import { PHONE, DESKTOP, chromiumSkipReason, launchChromium, screenshotDir, type TestBrowser } from '../helpers/chromium.js';
import { startWarFixture, type WarFixture } from '../helpers/war-fixture.js';

const pglite = await pgliteBackend();
const skip = await chromiumSkipReason();
const shots = screenshotDir();

describe('the board’s sort, filters, activity and the enemy’s chain in Chromium', { skip }, () => {
  let f: WarFixture;
  let browser: TestBrowser;
  let page: Page;
  let token: string;
  let war: any;
  const errors: string[] = [];

  const closeLater = teardown();

  before(async () => {
    f = closeLater(await startWarFixture(pglite));
    token = await f.signIn(2002);
    await f.sync(1001);
    war = (await f.api('/api/war', { token })).body;
    browser = closeLater(await launchChromium());
    page = await browser.context.newPage();
    recordPageErrors(page, errors);
    await page.setViewportSize(DESKTOP);
    await page.goto(f.server.url + '/');
    await signInOnBoard(page, 2003);
    await page
      .locator('#targets tbody tr')
      .nth(war.targets.length - 1)
      .waitFor();
    await page.locator('#transport[data-state="live"]').waitFor();
  });

  const rowIds = () => page.locator('#targets tbody tr').evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute('data-target-id'))));

  test('sort and filters: the rows follow, the choice survives a reload; each row shows the target’s activity', async () => {
    const controls = page.locator('#list-controls');
    await controls.getByRole('combobox', { name: 'Sort targets' }).selectOption('levelAsc');
    const byLevel = new Map<number, number>(war.targets.map((t: any) => [t.id, t.level]));
    const ascending = (ids: number[]) => ids.every((id, i) => i === 0 || byLevel.get(ids[i - 1])! <= byLevel.get(id)!);
    await page.waitForFunction(() => document.querySelector('#targets tbody tr')?.getAttribute('data-target-id') !== null);
    assert.ok(ascending(await rowIds()), `levels low to high: ${(await rowIds()).map((id) => byLevel.get(id)).join(', ')}`);

    const inHospital = war.targets.filter((t: any) => t.status.state === 'Hospital').map((t: any) => t.id);
    assert.ok(inHospital.length > 0, 'the scenario has targets in hospital');
    await controls.getByRole('button', { name: 'Hide targets in hospital' }).click();
    await page.waitForFunction((n) => document.querySelectorAll('#targets tbody tr').length === n, war.targets.length - inHospital.length);
    const shown = await rowIds();
    for (const id of inHospital) assert.ok(!shown.includes(id), `${id} in hospital: hidden`);
    assert.ok(ascending(shown));
    assert.equal(await controls.locator('.hidden-count').textContent(), `${inHospital.length} hidden`);

    // Activity: in words in its column; a dot and a few characters by the name on a phone.
    const t = war.targets.find((x: any) => x.status.state !== 'Hospital' && x.lastAction.status);
    const cell = page.locator(`#targets tbody tr[data-target-id="${t.id}"] td.last`);
    assert.equal(await cell.getAttribute('data-activity'), t.lastAction.status.toLowerCase());
    assert.match((await cell.textContent()) ?? '', new RegExp(`^${t.lastAction.status}`));

    await page.reload();
    await page.locator('#transport[data-state="live"]').waitFor();
    await page.waitForFunction((n) => document.querySelectorAll('#targets tbody tr').length === n, war.targets.length - inHospital.length);
    assert.equal(await controls.getByRole('combobox', { name: 'Sort targets' }).inputValue(), 'levelAsc');
    assert.equal(await controls.getByRole('button', { name: 'Hide targets in hospital' }).getAttribute('aria-pressed'), 'true');
    assert.ok(ascending(await rowIds()));
    if (shots) await page.screenshot({ path: join(shots, 'board-sorted-1280.png') });
    await page.setViewportSize(PHONE);
    const phoneMark = page.locator(`#targets tbody tr[data-target-id="${t.id}"] td.name .act`);
    assert.equal(await phoneMark.isVisible(), true, 'the activity mark shows by the name on a phone');
    assert.equal(await phoneMark.getAttribute('data-activity'), t.lastAction.status.toLowerCase());
    const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(scrollWidth <= PHONE.width, `no horizontal scroll at 390 px (${scrollWidth})`);
    if (shots) await page.screenshot({ path: join(shots, 'board-sorted-390.png') });
    await page.setViewportSize(DESKTOP);
    await controls.getByRole('button', { name: 'Hide targets in hospital' }).click();
    await controls.getByRole('combobox', { name: 'Sort targets' }).selectOption('default');
    await page.waitForFunction((n) => document.querySelectorAll('#targets tbody tr').length === n, war.targets.length);
  });

  test('the enemy’s chain beside ours: count, latest break on Torn’s clock, next bonus; “they are chaining” alerts once, even after a reload', async () => {
    await f.simControl('/__sim/factions/1002/chain', { current: 30 });
    await f.sync(1001);
    const bar = page.locator('#enemy-chain');
    await bar.locator('#enemy-chain-count', { hasText: 'Demo Rivals chain 30' }).waitFor({ timeout: 10_000 });
    assert.match((await page.locator('#enemy-chain-timeout').textContent()) ?? '', /^breaks ≤ [45]:\d\d$/);
    assert.match((await page.locator('#enemy-chain-timeout').getAttribute('title')) ?? '', /at the latest/);
    assert.equal(await page.locator('#enemy-chain-bonus').textContent(), 'next bonus 50 (20 hits)');
    // Past the member's size (25 by default): announced in the page's alert list, once.
    const alerts = page.locator('#alerts li', { hasText: 'they are chaining' });
    await alerts.first().waitFor({ timeout: 5000 });
    assert.match((await alerts.first().textContent()) ?? '', /Demo Rivals' chain is at 30 \(past 25\)/);
    await page.waitForTimeout(2500); // two of the board's once-a-second checks
    assert.equal(await alerts.count(), 1);
    if (shots) await page.screenshot({ path: join(shots, 'board-enemy-chain-1280.png') });
    await page.setViewportSize(PHONE);
    const box = await bar.boundingBox();
    assert.ok(box && box.x >= 0 && box.x + box.width <= PHONE.width, `the bar fits at 390 px: ${JSON.stringify(box)}`);
    if (shots) await page.screenshot({ path: join(shots, 'board-enemy-chain-390.png') });
    await page.setViewportSize(DESKTOP);
    await page.reload();
    await bar.locator('#enemy-chain-count', { hasText: 'chain 30' }).waitFor({ timeout: 10_000 });
    await page.waitForTimeout(2500);
    assert.equal(await alerts.count(), 0, 'not again after a reload');
    assert.deepEqual(errors, [], 'no script error, no CSP violation');
  });
});
