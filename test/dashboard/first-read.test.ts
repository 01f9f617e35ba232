import { describe, test, before } from 'node:test';
import assert from 'node:assert/strict';
import { pgliteBackend } from '../helpers/databases.js';
import { signInOnBoard } from './board-page.js';
import { teardown } from '../helpers/teardown.js';
import { chromiumSkipReason, launchChromium, type TestBrowser } from '../helpers/chromium.js';
import { startWarFixture, type WarFixture } from '../helpers/war-fixture.js';

const pglite = await pgliteBackend();
const skip = await chromiumSkipReason();

// Issue 20 item 4: the board of a faction Torn was never read for says why it is empty, then shows the targets.
describe('the board before and after the first read of Torn, in Chromium', { skip }, () => {
  let f: WarFixture;
  let browser: TestBrowser;

  const closeLater = teardown();

  before(async () => {
    f = closeLater(await startWarFixture(pglite));
    browser = closeLater(await launchChromium());
  });

  test('"Reading Torn for the first time…" until the first read, then the targets and no note', async () => {
    const page = await browser.context.newPage();
    await page.goto(f.server.url + '/');
    await signInOnBoard(page, 2001);
    const note = page.locator('#sync-note');
    await note.filter({ hasText: 'Reading Torn for the first time…' }).waitFor();
    assert.equal(await page.locator('#targets tbody tr').count(), 0);
    await page.locator('#transport[data-state="live"]').waitFor();
    // The poller is off in the fixture: this is the first read, and its events reach the open board.
    await f.sync(1001);
    await page.locator('#targets tbody tr').nth(24).waitFor();
    await note.waitFor({ state: 'hidden' });
    assert.equal(await note.getAttribute('data-state'), 'ok');
  });
});
