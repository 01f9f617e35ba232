// Issue 20 item 4 on torn.com: a member who signs in before the server ever read Torn for the faction
// is told why nothing is there, in the panel and above Torn's own war list, until the first read lands;
// then Torn's rows get their widgets and the note goes.
import { describe, test, before } from 'node:test';
import assert from 'node:assert/strict';
import { pgliteBackend } from '../helpers/databases.js';
import { chromiumSkipReason, launchChromium, type TestBrowser } from '../helpers/chromium.js';
import { teardown } from '../helpers/teardown.js';
import { startWarFixture, type WarFixture } from '../helpers/war-fixture.js';
import { startTornFixtures, WAR_PAGE } from './torn-fixtures.js';
import { openScriptPage, servedScript, signInOnPanel } from './script-page.js';

const pglite = await pgliteBackend();
const skip = await chromiumSkipReason();
/** The simulator's enemy faction (1002) members; their names and levels do not matter to this test. */
const ENEMY = Array.from({ length: 25 }, (_, i) => ({ id: 3001 + i, name: `Enemy${3001 + i}`, level: 20, status: 'Okay' }));

describe('the userscript before and after the first read of Torn, in Chromium', { skip }, () => {
  let f: WarFixture;
  let torn: { origin: string; close(): Promise<void> };
  let browser: TestBrowser;

  const closeLater = teardown();

  before(async () => {
    // The fixture's poller is off: nothing reads Torn until the test says so.
    f = closeLater(await startWarFixture(pglite));
    torn = closeLater(await startTornFixtures({ enemy: ENEMY, your: [{ id: 2001, name: 'Member2001', level: 10, status: 'Okay' }] }));
    browser = closeLater(await launchChromium());
  });

  test('"Reading Torn for the first time…" in the panel and above Torn’s war list, then widgets on Torn’s rows and no note', async () => {
    const { page, errors } = await openScriptPage(browser, await servedScript(f.server.url), { url: torn.origin + WAR_PAGE });
    await signInOnPanel(page, 2001);

    // A string, not a function: the test's transpiler names inner functions with a helper the page lacks.
    const stripNote = `(() => { const n = document.querySelector('torncat-list-controls')?.shadowRoot?.querySelector('.sync-note'); return n && !n.hidden ? n.textContent : null; })()`;
    const until = async (want: string | null) => {
      const from = Date.now();
      let seen: unknown;
      while ((seen = await page.evaluate(stripNote)) !== want) {
        if (Date.now() - from > 20_000) assert.fail(`the strip's note is ${JSON.stringify(seen)}, not ${JSON.stringify(want)}`);
        await page.waitForTimeout(50);
      }
    };
    await until('Reading Torn for the first time\u2026');
    await page.locator('#torncat-panel[data-sync="first_read"]').waitFor({ state: 'attached' });
    // The strip sits before Torn's war block, in the page's flow.
    assert.equal(
      await page.evaluate(() => document.querySelector('torncat-list-controls')?.nextElementSibling?.matches('.faction-war')),
      true,
    );
    assert.equal(await page.locator('.enemy-faction .members-list > li > torncat-call').count(), 0, 'no widget before the first read');

    await f.sync(1001);
    await page.waitForFunction(() => document.querySelectorAll('.enemy-faction .members-list > li > torncat-call').length === 25);
    await until(null);
    await page.locator('#torncat-panel[data-sync="ok"]').waitFor({ state: 'attached' });
    assert.deepEqual(errors, []);
  });
});
