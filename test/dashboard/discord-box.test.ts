// The board's Discord box in Chromium, against the real server and a local receiver standing in for
// Discord: a leader sets the webhook (a bad URL says why), sends a test and removes it; a member whose
// position may not mark sees only whether it is on; the URL never comes back to a page. At 390 px it fits.
import { describe, test, before } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { pgliteBackend } from '../helpers/databases.js';
import { signInOnBoard } from './board-page.js';
import { teardown } from '../helpers/teardown.js';
import { PHONE, chromiumSkipReason, launchChromium, screenshotDir, type TestBrowser } from '../helpers/chromium.js';
import { startWarFixture, type WarFixture } from '../helpers/war-fixture.js';
import { startDiscordReceiver, WEBHOOK_TOKEN, type DiscordReceiver } from '../helpers/discord-receiver.js';

const pglite = await pgliteBackend();
const skip = await chromiumSkipReason();
const shots = screenshotDir();

describe('the Discord box on the board, in Chromium', { skip }, () => {
  let f: WarFixture;
  let rx: DiscordReceiver;
  let browser: TestBrowser;
  const errors: string[] = [];

  async function board(playerId: number, width: number): Promise<Page> {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width, height: 900 });
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(f.server.url + '/');
    await signInOnBoard(page, playerId);
    await page.locator('#targets tbody tr').first().waitFor();
    // On a phone the targets come first and the rest (the Discord box with it) is folded away.
    if (width <= 640) await page.locator('#intel > summary').click();
    await page.locator('#discord-state', { hasNotText: 'Reading…' }).waitFor();
    return page;
  }

  /** The next page signs in as someone else (the session is kept on the device). */
  async function signOut(page: Page): Promise<void> {
    await page.locator('#signout').click();
    await page.locator('#signin').waitFor();
    await page.close();
  }

  const closeLater = teardown();

  before(async () => {
    rx = closeLater(await startDiscordReceiver());
    f = closeLater(
      await startWarFixture(pglite, { env: { DISCORD_WEBHOOK_ALLOWED_ORIGINS: rx.origin }, server: { discord: { pollMs: 50 } } }),
    );
    await f.signIn(2001);
    await f.signIn(2003);
    await f.sync(1001);
    browser = closeLater(await launchChromium());
  });

  test('a leader sets the webhook from the board, sends a test, and removes it; a bad URL says why', async () => {
    const page = await board(2001, 1280);
    assert.match((await page.locator('#discord-state').textContent()) ?? '', /^Off: TornCat posts nothing to Discord\.$/);
    await page.locator('#discord-url').fill('https://example.com/api/webhooks/1/abc');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.locator('#discord-note[data-kind="error"]', { hasText: "Only Discord's own webhook addresses are accepted" }).waitFor();
    await page.locator('#discord-url').fill(rx.url);
    await page.getByRole('button', { name: 'Save' }).click();
    await page.locator('#discord[data-configured="true"]').waitFor();
    assert.equal(await page.locator('#discord-url').inputValue(), '', 'the field is emptied once saved');
    assert.match(
      (await page.locator('#discord-state').textContent()) ?? '',
      /^On: set by .+ on \d{4}-\d\d-\d\d \d\d:\d\d TCT\. TornCat posts war start and end/,
    );
    assert.ok(!(await page.content()).includes(WEBHOOK_TOKEN), 'the page never holds the URL');
    await page.getByRole('button', { name: 'Send a test' }).click();
    const [got] = await rx.waitForDelivered(1);
    assert.match(got.content, /^✅ TornCat test message [0-9a-f]{8}, sent by /);
    if (shots) await page.locator('#discord').screenshot({ path: join(shots, 'discord-box-leader-desktop.png') });
    await page.setViewportSize(PHONE);
    await page.locator('#discord').scrollIntoViewIfNeeded();
    assert.ok((await page.evaluate(() => document.documentElement.scrollWidth)) <= 390, 'no horizontal scroll at 390 px');
    const box = (await page.locator('#discord').boundingBox())!;
    assert.ok(box.x >= 0 && box.x + box.width <= 390);
    if (shots) await page.screenshot({ path: join(shots, 'discord-box-leader-phone.png') });
    await signOut(page);
  });

  test('a member whose position may not mark sees that Discord is on, and no form', async () => {
    const page = await board(2003, 390);
    assert.match((await page.locator('#discord-state').textContent()) ?? '', /^On: set by /);
    assert.equal(await page.locator('#discord-form').isHidden(), true);
    if (shots) {
      await page.locator('#discord').scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(shots, 'discord-box-member-phone.png') });
    }
    await signOut(page);
  });

  test('the leader removes it: off for everyone', async () => {
    const page = await board(2001, 1280);
    await page.getByRole('button', { name: 'Remove' }).click();
    await page.locator('#discord[data-configured="false"]').waitFor();
    assert.equal((await f.api('/api/discord/webhook', { token: await f.signIn(2003) })).body.configured, false);
    await page.close();
    assert.deepEqual(errors, []);
  });
});
