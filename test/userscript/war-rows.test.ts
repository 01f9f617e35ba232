// TornCat's widget inside Torn's ranked-war rows, which Torn draws at a fixed height: the fixture pages
// follow the reality corpus's markup (test/torn-reality/dom.ts), and at both readings of Torn's row
// height, on a phone and a desktop, each widget is one line under Torn's cells, inside its own row.
import { describe, test, before } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { pgliteBackend } from '../helpers/databases.js';
import { PHONE, DESKTOP, chromiumSkipReason, launchChromium, screenshotDir, type TestBrowser } from '../helpers/chromium.js';
import { teardown } from '../helpers/teardown.js';
import { startWarFixture, type WarFixture } from '../helpers/war-fixture.js';
import { fixtureMembers, startTornFixtures, type FixtureMember, WAR_PAGE } from './torn-fixtures.js';
import { openScriptPage, servedScript, signInOnPanel } from './script-page.js';
import { ATTACK_DOM, WAR_DOM, WAR_ROW_HEIGHTS } from '../torn-reality/dom.js';
import { SOURCES } from '../torn-reality/sources.js';

const pglite = await pgliteBackend();
const skip = await chromiumSkipReason();
const shots = screenshotDir();

type Rect = { x: number; y: number; width: number; height: number; top: number; bottom: number; left: number; right: number };

describe('TornCat’s widget in Torn’s fixed-height war rows, in Chromium', { skip }, () => {
  let f: WarFixture;
  let torn: { origin: string; close(): Promise<void> };
  let browser: TestBrowser;
  let script: string;
  let targets: FixtureMember[];

  const closeLater = teardown();

  before(async () => {
    f = closeLater(await startWarFixture(pglite));
    const token = await f.signIn(2001);
    await f.sync(1001);
    targets = fixtureMembers((await f.api('/api/war', { token })).body.targets);
    torn = closeLater(
      await startTornFixtures({
        enemy: targets,
        your: [2001, 2002, 2003].map((id) => ({ id, name: `Member${id}`, level: 10, status: 'Okay' })),
      }),
    );
    script = await servedScript(f.server.url);
    browser = closeLater(await launchChromium());
  });

  const open = (path: string, viewport = DESKTOP) => openScriptPage(browser, script, { url: torn.origin + path, viewport });

  async function signIn(page: Page, playerId: number): Promise<void> {
    await signInOnPanel(page, playerId);
    await page.waitForFunction(
      (n) => document.querySelectorAll('.enemy-faction .members-list > li > torncat-call').length === n,
      targets.length,
    );
  }

  test('the fixture pages hold what public scripts select on Torn’s war and attack pages (the reality corpus)', async () => {
    const war = await open(WAR_PAGE);
    await war.page.locator('.enemy-faction .members-list > li').first().waitFor();
    for (const d of WAR_DOM) assert.ok((await war.page.locator(d.selector).count()) > 0, `war page: ${d.selector} (${d.finds})`);
    const attack = await open('/page.php?sid=attack&user2ID=3005');
    for (const d of ATTACK_DOM) assert.ok((await attack.page.locator(d.selector).count()) > 0, `attack page: ${d.selector} (${d.finds})`);
    await war.page.close();
    await attack.page.close();
  });

  for (const { px, source } of WAR_ROW_HEIGHTS) {
    test(`with Torn’s fixed ${px}px war rows (${SOURCES[source].repo}), each widget is one line under Torn’s cells, inside its row, at 390 px and 1280 px`, async () => {
      const { page, errors } = await open(`/factions.php?step=your&rowHeight=${px}#/war/rank`);
      await signIn(page, 2001);
      for (const viewport of [PHONE, DESKTOP]) {
        await page.setViewportSize(viewport);
        // A string, not a function: the test's transpiler names inner functions with a helper the page lacks.
        const rows: Array<{ id: string; li: Rect; cells: Rect[]; widget: Rect | null; parts: Rect[] }> = await page.evaluate(`
          [...document.querySelectorAll('.faction-war .members-list > li')].map((li) => {
            const w = li.querySelector(':scope > torncat-call');
            const parts = w && w.shadowRoot ? [...w.shadowRoot.querySelectorAll('span:not(:empty), button')] : [];
            return {
              id: (/XID=(\\d+)/.exec(li.querySelector('a')?.getAttribute('href') ?? '') ?? [])[1],
              li: li.getBoundingClientRect().toJSON(),
              cells: [...li.querySelectorAll(':scope > .left')].map((c) => c.getBoundingClientRect().toJSON()),
              widget: w ? w.getBoundingClientRect().toJSON() : null,
              // The widget's own parts, inside its shadow root (hidden ones have no box).
              parts: parts.map((p) => p.getBoundingClientRect().toJSON()).filter((b) => b.height > 0),
            };
          })`);
        const where = `${viewport.width}px, rows of ${px}px`;
        for (const r of rows) {
          // Torn's own cells keep Torn's height and their place at the row's top.
          for (const c of r.cells) {
            assert.ok(Math.abs(c.height - px) < 0.5, `${where}: row ${r.id}: Torn's cell is ${c.height}px`);
            assert.ok(Math.abs(c.top - r.li.top) < 0.5, `${where}: row ${r.id}: Torn's cell moved down`);
          }
          if (!r.widget) {
            assert.ok(Math.abs(r.li.height - (px + 1)) < 0.5, `${where}: row ${r.id} without a widget keeps Torn's height`);
            continue;
          }
          const w = r.widget;
          assert.ok(w.top >= r.li.top + px - 0.5, `${where}: row ${r.id}: the widget covers Torn's cells`);
          assert.ok(
            w.bottom <= r.li.bottom + 0.5 && w.left >= r.li.left - 0.5 && w.right <= r.li.right + 0.5,
            `${where}: row ${r.id}: the widget spills out of its row`,
          );
          assert.ok(w.height <= 26.5, `${where}: row ${r.id}: the widget is ${w.height}px, more than one line`);
          assert.ok(r.parts.length >= 3, `${where}: row ${r.id}: the widget shows its parts`);
          for (const p of r.parts) {
            assert.ok(
              p.top >= w.top - 0.5 && p.bottom <= w.bottom + 0.5 && p.right <= w.right + 0.5,
              `${where}: row ${r.id}: a part of the widget is cut off or on a second line`,
            );
          }
        }
        // Rows follow one another: the next row starts where this one ends, nothing overlaps.
        for (let i = 1; i < rows.length; i++) {
          if (Math.abs(rows[i].li.left - rows[i - 1].li.left) > 0.5) continue; // the other faction's list
          assert.ok(rows[i].li.top >= rows[i - 1].li.bottom - 0.5, `${where}: row ${rows[i].id} overlaps the row above`);
        }
        assert.ok(rows.filter((r) => r.widget).length === targets.length, `${where}: every target row has its widget`);
        if (shots) await page.screenshot({ path: join(shots, `war-rows-${px}px-${viewport.width}.png`) });
      }
      assert.deepEqual(errors, []);
      await page.close();
    });
  }
});
