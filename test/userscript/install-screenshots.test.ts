// The pictures the install page shows (docs/screenshots/, served at /install/*.png) are taken here, in
// Chromium, of the real userscript on the Torn page fixtures: the panel, and Torn's war list with a call
// in it. `UPDATE_SCREENSHOTS=1` writes them into docs/screenshots/ (commit them after a visible change
// to the panel or the rows); otherwise they go to a temporary folder and are only checked.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { SCREENSHOTS } from '../../src/server/browser-files/screenshots.js';
import { pgliteBackend } from '../helpers/databases.js';
import { chromiumSkipReason, launchChromium, type TestBrowser } from '../helpers/chromium.js';
import { teardown } from '../helpers/teardown.js';
import { demoKey, startWarFixture, type WarFixture } from '../helpers/war-fixture.js';
import { fixtureMembers, startTornFixtures } from './torn-fixtures.js';
import { openScriptPage, servedScript, signInOnPanel, warShown } from './script-page.js';

const pglite = await pgliteBackend();
const skip = await chromiumSkipReason();
const update = process.env.UPDATE_SCREENSHOTS === '1';

/** Width and height from a PNG's IHDR chunk. */
function pngSize(png: Buffer): { width: number; height: number } {
  assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG', 'a PNG file');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

describe('the install page’s screenshots, taken of the userscript in Chromium', { skip }, () => {
  let f: WarFixture;
  let torn: { origin: string; close(): Promise<void> };
  let browser: TestBrowser;
  let script: string;
  const dir = update ? fileURLToPath(new URL('../../docs/screenshots/', import.meta.url)) : mkdtempSync(join(tmpdir(), 'torncat-shots-'));

  const closeLater = teardown();

  before(async () => {
    f = closeLater(await startWarFixture(pglite));
    const token = await f.signIn(2002);
    await f.sync(1001);
    const war = (await f.api('/api/war', { token })).body;
    const names: Record<number, string> = {};
    for (const id of [2001, 2002]) names[id] = (await f.api('/api/auth', { body: { apiKey: demoKey(id) } })).body.player.name;
    torn = closeLater(
      await startTornFixtures({
        enemy: fixtureMembers(war.targets),
        your: [2001, 2002].map((id) => ({ id, name: names[id], level: 10, status: 'Okay' })),
      }),
    );
    script = await servedScript(f.server.url);
    browser = closeLater(await launchChromium({ viewport: { width: 1100, height: 800 } }));
  });
  after(() => {
    if (!update) rmSync(dir, { recursive: true, force: true });
  });

  async function signedIn(path: string, playerId: number): Promise<Page> {
    const { page } = await openScriptPage(browser, script, { url: torn.origin + path });
    await signInOnPanel(page, playerId);
    await warShown(page);
    return page;
  }

  test('Torn’s war list with a call in it, and the panel with the targets', async () => {
    const rows = await signedIn('/factions.php?step=your#/war/rank', 2001);
    const call = rows.locator('.enemy-faction .members-list > li:has(a[href$="XID=3003"]) torncat-call');
    await call.getByRole('button', { name: /^Call / }).click();
    await call.getByText('called by you').waitFor({ timeout: 10_000 });
    // The list's head and first rows (the call among them) make the picture, not all 25.
    const list = await rows.locator('.enemy-faction').boundingBox();
    assert.ok(list);
    await rows.screenshot({ path: join(dir, SCREENSHOTS['torn-war-rows'].file), clip: { ...list, height: Math.min(list.height, 460) } });

    // A page without Torn's war list: the panel is the board there, open.
    const panelPage = await signedIn('/index.php', 2002);
    const panel = panelPage.locator('#torncat-panel section');
    await panel.locator('ul.targets li').first().waitFor();
    await panel
      .getByText(/called by/)
      .first()
      .waitFor({ timeout: 10_000 });
    await panel.screenshot({ path: join(dir, SCREENSHOTS.panel.file) });

    const rowsShot = pngSize(readFileSync(join(dir, SCREENSHOTS['torn-war-rows'].file)));
    const panelShot = pngSize(readFileSync(join(dir, SCREENSHOTS.panel.file)));
    assert.ok(rowsShot.width >= 300 && rowsShot.height >= 200, `the war list: ${JSON.stringify(rowsShot)}`);
    assert.ok(panelShot.width >= 200 && panelShot.height >= 200, `the panel: ${JSON.stringify(panelShot)}`);
    await rows.close();
    await panelPage.close();
  });
});
