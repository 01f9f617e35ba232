// The board's war intelligence in Chromium, fed by the real server from the Torn simulator: the
// chain bar and its alerts, leaders' marks, assists, watches and the exit alert (once, even after a
// reload), an early exit's highlight, travel and hospital-abroad text, calls waiting for an exit,
// and the war report page.
import { describe, test, before } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { pgliteBackend } from '../helpers/databases.js';
import { recordPageErrors, signInOnBoard } from './board-page.js';
import { teardown } from '../helpers/teardown.js';
import { DESKTOP, PHONE, chromiumSkipReason, launchChromium, screenshotDir, type TestBrowser } from '../helpers/chromium.js';
import { startWarFixture, type WarFixture } from '../helpers/war-fixture.js';

const pglite = await pgliteBackend();
const skip = await chromiumSkipReason();
/** Set SCREENSHOT_DIR to keep screenshots of the board (desktop and phone width). */
const shots = screenshotDir();

/** What the page's Notification API was asked to show: recorded before the real one shows it. */
interface Shown {
  title: string;
  body: string;
  tag: string;
}

describe('the board’s war intelligence in Chromium', { skip }, () => {
  let f: WarFixture;
  let browser: TestBrowser;
  let page: Page;
  let other: string;
  const errors: string[] = [];

  const closeLater = teardown();

  before(async () => {
    f = closeLater(await startWarFixture(pglite));
    other = await f.signIn(2002); // Co-leader in the simulator's faction 1001
    await f.sync(1001);
    browser = closeLater(await launchChromium());
    // Headless Chromium does not honour grantPermissions for notifications (Notification.permission
    // stays "denied" or "default", by machine), so the page gets a Notification that records what it is asked to show and
    // grants permission when asked from a click. The in-page fallback is tested on the real one below.
    await browser.context.addInitScript(() => {
      const shown: unknown[] = [];
      const w = window as unknown as { __shown: unknown[]; __asked: boolean[]; Notification: unknown };
      w.__shown = shown;
      w.__asked = [];
      // Kept across reloads, as a browser keeps a site's permission.
      let permission = (sessionStorage.getItem('test.permission') ?? 'default') as NotificationPermission;
      w.Notification = class {
        static get permission() {
          return permission;
        }
        static async requestPermission() {
          w.__asked.push(navigator.userActivation.isActive);
          permission = 'granted';
          sessionStorage.setItem('test.permission', permission);
          return permission;
        }
        constructor(title: string, options?: NotificationOptions) {
          shown.push({ title, body: options?.body ?? '', tag: options?.tag ?? '' });
        }
      };
    });
    page = await browser.context.newPage();
    recordPageErrors(page, errors);
    await page.goto(f.server.url + '/');
    await signInOnBoard(page, 2001); // the faction's Leader
    await page.locator('#targets tbody tr').nth(24).waitFor();
    // The leader's position comes from the faction's member list, read by the sync after the sign-in;
    // the board learns it from the snapshot.
    await f.sync(1001);
    await page.reload();
    await page.locator('#targets tbody tr').nth(24).waitFor();
    await page.locator('#transport[data-state="live"]').waitFor();
  });

  const row = (id: number) => page.locator(`#targets tbody tr[data-target-id="${id}"]`);
  const shown = () => page.evaluate(() => (window as unknown as { __shown: Shown[] }).__shown);
  const serverTime = async () => (await f.api('/api/war', { token: other })).body.serverTime as number;
  /** Changes a target in the simulator and lets the server's sync read it (the board hears it over SSE). */
  async function status(id: number, body: Record<string, unknown>): Promise<void> {
    await f.simControl(`/__sim/players/${id}/status`, body);
    await f.sync(1001);
  }

  test('the alerts box asks for notifications on a click, and keeps the member’s lead time', async () => {
    await page.locator('#notify-state', { hasText: 'allow notifications' }).waitFor();
    await page.getByRole('button', { name: 'Allow notifications' }).click();
    await page.locator('#notify-state', { hasText: 'Notifications on' }).waitFor();
    assert.deepEqual(
      await page.evaluate(() => (window as unknown as { __asked: boolean[] }).__asked),
      [true],
      'asked once, from the click',
    );
    assert.equal(await page.locator('#notify').isHidden(), true);
    assert.equal(await page.locator('#lead').inputValue(), '30', 'the default lead time');
    assert.equal(await page.locator('#chain-threshold').inputValue(), '60');
    await page.locator('#lead').fill('0');
    await page.locator('#lead').dispatchEvent('change');
    await page.getByRole('alert').filter({ hasText: 'whole seconds from 1 to 3600' }).waitFor();
    assert.equal(await page.locator('#lead').inputValue(), '30', 'a bad value is not kept');
    await page.locator('#lead').fill('25');
    await page.locator('#lead').dispatchEvent('change');
    assert.equal(await page.evaluate(() => localStorage.getItem('torncat.exitLeadS')), '25');
  });

  test('the chain bar shows the chain, its live timeout and next bonus; the bonus is announced once', async () => {
    await f.simControl('/__sim/factions/1001/chain', { current: 47, timeout: 250 });
    await f.sync(1001);
    const bar = page.locator('#chain');
    await bar.locator('#chain-count', { hasText: 'Chain 47' }).waitFor({ timeout: 5000 });
    assert.equal(await page.locator('#chain-bonus').textContent(), 'next bonus 50 (3 hits)');
    const first = (await page.locator('#chain-timeout').textContent()) ?? '';
    assert.match(first, /^4:\d\d left$/);
    await page.waitForFunction((t) => document.querySelector('#chain-timeout')?.textContent !== t, first, { timeout: 3000 });
    await page.waitForFunction(() => (window as unknown as { __shown: Shown[] }).__shown.some((n) => n.title === 'Chain bonus'));
    const bonus = (await shown()).filter((n) => n.title === 'Chain bonus');
    assert.deepEqual(
      bonus.map((n) => n.body),
      ['Chain 47: bonus hit 50 in 3 hits'],
    );
    assert.equal(await page.locator('#alerts li', { hasText: 'bonus hit 50' }).count(), 1, 'and in the page');
  });

  test('a chain past 10 under the threshold alerts once, and the bar turns red', async () => {
    await f.simControl('/__sim/factions/1001/chain', { current: 48, timeout: 45 });
    await f.sync(1001);
    await page.locator('#chain[data-level="danger"]').waitFor({ timeout: 5000 });
    await page.waitForFunction(() => (window as unknown as { __shown: Shown[] }).__shown.some((n) => n.title === 'Chain timeout'));
    await page.waitForTimeout(1500); // more ticks: still one
    const alerts = (await shown()).filter((n) => n.title === 'Chain timeout');
    assert.equal(alerts.length, 1);
    assert.match(alerts[0].body, /^Chain 48: 0:4\d before it breaks$/);
  });

  test('a leader marks a target priority from the board: it sorts first; another leader’s avoid dims a row live', async () => {
    await row(3020).locator('select.mark').selectOption('priority');
    await page.locator('#targets tbody tr:first-child[data-target-id="3020"]').waitFor({ timeout: 5000 });
    assert.equal(await row(3020).locator('.mark-badge').textContent(), 'Priority');
    const r = await f.api('/api/calls', { token: other, body: { ops: [{ op: 'mark', targetId: 3021, mark: 'avoid' }] } });
    assert.equal(r.body.results[0].ok, true, JSON.stringify(r.body));
    await page.locator('#targets tr.avoid[data-target-id="3021"]').waitFor({ timeout: 5000 });
    assert.equal(await row(3021).evaluate((tr) => getComputedStyle(tr).opacity), '0.5');
    assert.equal(await row(3021).locator('.mark-badge').textContent(), 'Avoid');
  });

  test('an assist raised by another member shows with requester and time left; the Assist button raises ours', async () => {
    const r = await f.api('/api/calls', { token: other, body: { ops: [{ op: 'assist', targetId: 3022 }] } });
    assert.equal(r.body.results[0].ok, true, JSON.stringify(r.body));
    const name = r.body.results[0].assist.targetName as string;
    const requester = r.body.results[0].assist.requester.name as string;
    const item = page.locator('#assists li[data-target-id="3022"]');
    await item.waitFor({ timeout: 5000 });
    assert.match((await item.textContent()) ?? '', new RegExp(`^${requester} needs help on ${name} \\(\\d+:\\d\\d left\\) Attack$`));
    await row(3023)
      .getByRole('button', { name: /Ask for help/ })
      .click();
    await page.locator('#assists li[data-target-id="3023"]').waitFor({ timeout: 5000 });
  });

  test('travel reads as words: flying out with the landing time, abroad, and a hospital abroad (not next out)', async () => {
    await status(3024, { state: 'Traveling', destination: 'Mexico' });
    await page.waitForFunction(() =>
      /^→ Mexico(, lands \d\d:\d\d–\d\d:\d\d)?$/.test(document.querySelector('tr[data-target-id="3024"] td.status')?.textContent ?? ''),
    );
    await status(3025, { state: 'Hospital', until: (await serverTime()) + 900, destination: 'Switzerland' });
    await page.waitForFunction(() =>
      /^In a Swiss hospital 1[45]:\d\d$/.test(document.querySelector('tr[data-target-id="3025"] td.status')?.textContent ?? ''),
    );
    assert.equal(await page.locator('#next li[data-target-id="3025"]').count(), 0);
  });

  test('a watched target fires the exit alert once, on the server clock, and not again after a reload', async () => {
    await row(3017)
      .getByRole('button', { name: /^Watch/ })
      .click();
    await row(3017).locator('button[aria-pressed="true"]').waitFor();
    await status(3017, { state: 'Hospital', until: (await serverTime()) + 20 });
    await page.waitForFunction(() => (window as unknown as { __shown: Shown[] }).__shown.some((n) => n.tag.startsWith('exit-3017-')));
    await page.waitForTimeout(2000);
    const exits = (await shown()).filter((n) => n.tag.startsWith('exit-3017-'));
    assert.equal(exits.length, 1);
    assert.equal(exits[0].title, 'Leaving hospital');
    assert.match(exits[0].body, /leaves hospital in (1\d|2[01]) s$/);
    await page.reload();
    await page.locator('#transport[data-state="live"]').waitFor();
    await row(3017).locator('button[aria-pressed="true"]').waitFor();
    await page.locator('#notify-state', { hasText: 'Notifications on' }).waitFor();
    await page.waitForTimeout(2000);
    assert.deepEqual(
      (await shown()).filter((n) => n.tag.startsWith('exit-3017-')),
      [],
      'the new page remembers it fired',
    );
  });

  test('a call on a target in hospital waits for its exit; an early exit highlights the row and alerts', async () => {
    await status(3018, { state: 'Hospital', until: (await serverTime()) + 3600 });
    await row(3018)
      .locator('td.status', { hasText: /^Hosp / })
      .waitFor({ timeout: 5000 });
    await row(3018)
      .getByRole('button', { name: /^Call / })
      .click();
    await row(3018).locator('td.caller', { hasText: 'you (for exit)' }).waitFor({ timeout: 5000 });
    assert.match((await page.locator('#calls li[data-target-id="3018"]').textContent()) ?? '', /\(called for exit\)$/);
    assert.equal(await row(3018).locator('.bell').textContent(), 'watched', 'our own call is watched');
    await f.simControl('/__sim/players/3018/discharge', {});
    await f.sync(1001);
    await page.locator('#targets tr.early[data-target-id="3018"]').waitFor({ timeout: 5000 });
    assert.equal(await row(3018).locator('td.status').textContent(), 'Out early');
    await page.waitForFunction(() => (window as unknown as { __shown: Shown[] }).__shown.some((n) => n.title === 'Out early'));
    const early = (await shown()).filter((n) => n.title === 'Out early');
    assert.equal(early.length, 1);
    assert.match(early[0].body, /is out of hospital early$/);
    if (shots) await page.screenshot({ path: join(shots, 'dashboard-intel.png'), fullPage: true });
  });

  test('at phone width the chain bar, alerts and rows fit the screen', async () => {
    await page.setViewportSize(PHONE);
    // Folded below the targets on a phone: the member opens them.
    await page.locator('#intel > summary').click();
    await page.locator('#chain').waitFor();
    const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(scrollWidth <= 390, `no horizontal scroll (${scrollWidth})`);
    for (const b of await row(3020).locator('td.actions .acts > *:visible').all()) {
      const box = await b.boundingBox();
      assert.ok(box && box.x + box.width <= 390, 'every control fits');
    }
    if (shots) {
      await page.screenshot({ path: join(shots, 'dashboard-intel-phone.png') });
      await row(3018).scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(shots, 'dashboard-intel-phone-rows.png') });
    }
    await page.setViewportSize(DESKTOP);
  });

  test('the report page lists each member’s calls, from the header link', async () => {
    await page.getByRole('link', { name: 'War report' }).click();
    await page.locator('#report-table tbody tr[data-member-id="2001"]').waitFor({ timeout: 5000 });
    assert.equal(await page.locator('#board').isHidden(), true);
    assert.match((await page.locator('#report-title').textContent()) ?? '', /^War report: 5001 vs Demo Rivals$/);
    const mine = page.locator('#report-table tbody tr[data-member-id="2001"] td');
    assert.equal(await mine.nth(0).textContent(), '1', 'one call made');
    assert.equal(await page.locator('#report-table tfoot th').textContent(), 'Faction');
    if (shots) await page.screenshot({ path: join(shots, 'dashboard-report.png'), fullPage: true });
    await page.getByRole('link', { name: /Back to the board/ }).click();
    await page.locator('#board').waitFor();
    assert.deepEqual(errors, [], 'no script error, no CSP violation, no failed request');
  });

  test('a member without the position gets no mark menu; where notifications are blocked, the alert shows in the page, once', async () => {
    const plain = await launchChromium();
    try {
      // A member who blocked notifications for the site: headless Chromium's own answer varies from
      // one machine to another ("denied" here, "default" elsewhere), so the block is set, not assumed.
      await plain.context.addInitScript(() => {
        const w = window as unknown as { Notification: typeof Notification };
        w.Notification = class extends w.Notification {
          static override get permission(): NotificationPermission {
            return 'denied';
          }
          static override async requestPermission(): Promise<NotificationPermission> {
            return 'denied';
          }
        };
      });
      const p = await plain.context.newPage();
      await p.goto(f.server.url + '/');
      await signInOnBoard(p, 2005);
      await p.locator('#transport[data-state="live"]').waitFor();
      assert.equal(await p.evaluate(() => Notification.permission), 'denied');
      await p.locator('#notify-state', { hasText: 'blocked' }).waitFor();
      // A Member (not Leader or Co-leader) sees leaders' marks but no mark menu.
      assert.equal(await p.locator('tr[data-target-id="3020"] .mark-badge').textContent(), 'Priority');
      assert.equal(await p.locator('select.mark:visible').count(), 0);
      assert.equal(await page.locator('select.mark:visible').count(), 25, 'the Leader has one per row');
      await p
        .locator('tr[data-target-id="3016"]')
        .getByRole('button', { name: /^Watch/ })
        .click();
      await p.locator('tr[data-target-id="3016"] button[aria-pressed="true"]').waitFor();
      await status(3016, { state: 'Hospital', until: (await serverTime()) + 15 });
      const alert = p.locator('#alerts li[data-tag^="exit-3016-"]');
      await alert.waitFor({ timeout: 5000 });
      assert.match((await alert.textContent()) ?? '', /^Leaving hospital \S+ leaves hospital in 1\d s×$/);
      await p.waitForTimeout(2000);
      assert.equal(await alert.count(), 1);
      await alert.getByRole('button', { name: 'Dismiss' }).click();
      assert.equal(await alert.count(), 0);
    } finally {
      await plain.close();
    }
  });
});
