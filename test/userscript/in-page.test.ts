// The userscript inside Torn's own pages: the call state and a Call/Release button in each enemy row of
// the ranked-war member list, a bar on the attack page and on a target's profile, the floating panel's
// remembered layout, and TornPDA's one-tap sign-in.
//
// The war page fixture (test/userscript/torn-fixtures/war.html) follows how public Torn war scripts find
// the rows in torn.com's ranked-war list:
// - TornTools, Mephiles/torntools_extension, extension/scripts/features/stats-estimate/
//   ttStatsEstimateFactionRankedWars.ts: rows `.faction-war .members-list > li.enemy` / `li.your`, the
//   member id from `[class*='honorWrap__'] > a` (`href` …profiles.php?XID=<id>), `.level`; the list is
//   watched with a MutationObserver because Torn re-renders it.
// - FF Scouter, xentac/fair_fight_scouter, fair_fight_scouter.user.js (its war timers):
//   `.enemy-faction .members-list li, .your-faction .members-list li`, the id from
//   `a[href*="profiles.php?XID="]`, the row's `.status`.
// - Heasleys/bird-scripts, faction-list-attack-links.user.js: the attack link
//   `/loader.php?sid=attack&user2ID=<id>`; Torn's rows link `/page.php?sid=attack&user2ID=<id>` since
//   April 2026 (test/torn-reality/: the markup the fixtures follow, with its sources).
import { describe, test, before } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { pgliteBackend } from '../helpers/databases.js';
import { PHONE, DESKTOP, chromiumSkipReason, launchChromium, screenshotDir, type TestBrowser } from '../helpers/chromium.js';
import { teardown } from '../helpers/teardown.js';
import { demoKey, startWarFixture, type WarFixture } from '../helpers/war-fixture.js';
import { fixtureMembers, startTornFixtures, type FixtureMember, WAR_PAGE } from './torn-fixtures.js';
import { openScriptPage, servedScript, signInOnPanel, warShown as panelShowsWar } from './script-page.js';

const pglite = await pgliteBackend();
const skip = await chromiumSkipReason();
const shots = screenshotDir();
/** On the enemy's list, but not a target in the snapshot (joined since): no button. */
const NOT_A_TARGET = 9999;

type Box = { x: number; y: number; width: number; height: number };

describe('the userscript inside Torn’s war, attack and profile pages in Chromium', { skip }, () => {
  let f: WarFixture;
  let torn: { origin: string; close(): Promise<void> };
  let browser: TestBrowser;
  let script: string;
  let targets: FixtureMember[];
  let names: Record<number, string>;

  const closeLater = teardown();

  before(async () => {
    f = closeLater(await startWarFixture(pglite));
    const token = await f.signIn(2002);
    await f.sync(1001);
    targets = fixtureMembers((await f.api('/api/war', { token })).body.targets);
    names = {};
    for (const id of [2001, 2002, 2003]) names[id] = (await f.api('/api/auth', { body: { apiKey: demoKey(id) } })).body.player.name;
    torn = closeLater(
      await startTornFixtures({
        enemy: [...targets, { id: NOT_A_TARGET, name: 'Newcomer', level: 1, status: 'Okay' }],
        your: [2001, 2002, 2003].map((id) => ({ id, name: names[id], level: 10, status: 'Okay' })),
      }),
    );
    script = await servedScript(f.server.url);
    browser = closeLater(await launchChromium());
  });

  /** A page with the script under a GM manager, or under the TornPDA stand-in (`pda`: the key PDA writes in). */
  const open = (path: string, source = script, viewport = DESKTOP, pda?: { key: string }) =>
    openScriptPage(browser, source, { url: torn.origin + path, viewport, manager: pda ? 'TornPDA' : 'streaming GM', pdaKey: pda?.key });

  async function signIn(page: Page, playerId: number, warPage = true): Promise<void> {
    await signInOnPanel(page, playerId);
    await (warPage ? widgetsOnEveryTarget(page) : warShown(page));
  }

  const warShown = (page: Page) => panelShowsWar(page, 10_000);

  const enemyRow = (page: Page, id: number) => page.locator(`.enemy-faction .members-list > li:has(a[href$="XID=${id}"])`);
  const widget = (page: Page, id: number) => enemyRow(page, id).locator('torncat-call');

  async function widgetsOnEveryTarget(page: Page): Promise<void> {
    await page.waitForFunction(
      (n) => document.querySelectorAll('.enemy-faction .members-list > li > torncat-call').length === n,
      targets.length,
    );
  }

  /** For each enemy row: how many widgets it holds, by member id. */
  const widgetsPerRow = (page: Page) =>
    page.evaluate(() =>
      Object.fromEntries(
        [...document.querySelectorAll('.faction-war .members-list > li')].map((li) => [
          /XID=(\d+)/.exec(li.querySelector('a')?.getAttribute('href') ?? '')?.[1],
          li.querySelectorAll('torncat-call').length,
        ]),
      ),
    );

  test('Call from Torn’s own row reaches another member; a re-render keeps one button per row and the state', async () => {
    const a = await open(WAR_PAGE);
    const b = await open(WAR_PAGE);
    await signIn(a.page, 2001);
    await signIn(b.page, 2002);

    const counts = await widgetsPerRow(a.page);
    for (const t of targets) assert.equal(counts[t.id], 1, `one widget on ${t.id}`);
    assert.equal(counts[NOT_A_TARGET], 0, 'not a target of this war');
    for (const id of [2001, 2002, 2003]) assert.equal(counts[id], 0, 'own faction rows stay as they are');
    assert.equal(await widget(a.page, 3003).getAttribute('data-call'), 'free');
    // Torn's rows carry the calls here: the panel keeps to its tab at the edge, out of the list's way.
    assert.equal(await a.page.locator('#torncat-panel').getAttribute('data-collapsed'), 'true');

    await widget(a.page, 3003)
      .getByRole('button', { name: /^Call / })
      .click();
    await widget(a.page, 3003).getByText('called by you').waitFor();
    await widget(b.page, 3003).getByText(`called by ${names[2001]}`).waitFor({ timeout: 10_000 });
    assert.equal(
      await widget(b.page, 3003)
        .getByRole('button', { name: /^Call / })
        .isDisabled(),
      true,
      'someone else’s call cannot be taken',
    );
    await widget(a.page, 3003).locator('button.release:not([disabled])').waitFor();

    // Torn's React replaces every row node; the widgets come back, one per row, drawn from the client core.
    for (let i = 0; i < 3; i++) await a.page.evaluate(() => (window as any).__tornRerender());
    await widgetsOnEveryTarget(a.page);
    const after = await widgetsPerRow(a.page);
    for (const t of targets) assert.equal(after[t.id], 1, `still one widget on ${t.id}`);
    assert.equal(after[NOT_A_TARGET], 0);
    assert.equal(await widget(a.page, 3003).getAttribute('data-call'), 'mine');
    assert.equal(await widget(a.page, 3004).getAttribute('data-call'), 'free');

    // Release from the re-rendered row reaches the other member too.
    await widget(a.page, 3003)
      .getByRole('button', { name: /^Release / })
      .click();
    await widget(b.page, 3003).getByText('free').waitFor({ timeout: 10_000 });
    if (shots) await a.page.screenshot({ path: join(shots, 'war-page-desktop.png'), fullPage: true });
    await a.page.setViewportSize(PHONE);
    if (shots) await a.page.screenshot({ path: join(shots, 'war-page-390.png') });
    assert.deepEqual(a.errors, []);
    assert.deepEqual(b.errors, []);
    await a.page.close();
    await b.page.close();
  });

  test('the attack page shows who called the target and offers Call, and at 390 px nothing covers Torn’s attack button', async () => {
    const { page, errors } = await open(WAR_PAGE);
    await signIn(page, 2003);
    const other = await open(WAR_PAGE);
    await signIn(other.page, 2002);
    await widget(other.page, 3005)
      .getByRole('button', { name: /^Call / })
      .click();
    await widget(other.page, 3005).getByText('called by you').waitFor();

    // The same tab keeps its session from page to page, as the manager's storage does. Torn's attack
    // page at its current URL (page.php, since April 2026), then at the old one (loader.php).
    await page.goto(`${torn.origin}/page.php?sid=attack&user2ID=3005`);
    const bar = page.locator('#torncat-target-bar');
    await bar.getByText(`called by ${names[2002]}`).waitFor({ timeout: 10_000 });
    assert.match((await bar.textContent()) ?? '', /3005/);
    assert.equal(await bar.getByRole('button', { name: /^Call / }).isDisabled(), true);

    await page.goto(`${torn.origin}/loader.php?sid=attack&user2ID=3006`);
    await bar.getByText('free').waitFor({ timeout: 10_000 });
    await bar.getByRole('button', { name: /^Call / }).click();
    await bar.getByText('called by you').waitFor();
    // Answered (the button usable again) before the tab moves on: the test manager's request ids start afresh on each page.
    await bar.locator('button.release:not([disabled])').waitFor();
    await widget(other.page, 3006).getByText(`called by ${names[2003]}`).waitFor({ timeout: 10_000 });
    if (shots) await page.screenshot({ path: join(shots, 'attack-page-desktop.png') });

    for (const viewport of [PHONE, DESKTOP]) {
      await page.setViewportSize(viewport);
      // On a phone Torn's two player boxes stack and the button can sit below the first screen: the
      // member scrolls to it, and there nothing of ours may cover it.
      await page.locator('#start-fight').scrollIntoViewIfNeeded();
      const fight = await page.locator('#start-fight').boundingBox();
      assert.ok(fight);
      const panel = page.locator('#torncat-panel');
      if (await panel.isVisible()) {
        const box = await panel.locator('section').boundingBox();
        assert.ok(box);
        const overlaps =
          box.x < fight.x + fight.width && fight.x < box.x + box.width && box.y < fight.y + fight.height && fight.y < box.y + box.height;
        assert.ok(!overlaps, `the panel ${JSON.stringify(box)} covers the attack button ${JSON.stringify(fight)}`);
      }
      // Torn's button is still the one a tap at its centre reaches.
      const hit = await page.evaluate(
        ([x, y]) => document.elementFromPoint(x, y)?.id,
        [fight.x + fight.width / 2, fight.y + fight.height / 2],
      );
      assert.equal(hit, 'start-fight');
    }
    await page.setViewportSize(PHONE);
    if (shots) await page.screenshot({ path: join(shots, 'attack-page-390.png') });

    // The bar's TornCat button brings the panel back on this page.
    await bar.getByRole('button', { name: 'TornCat panel' }).click();
    await page.locator('#torncat-panel section').waitFor();
    assert.deepEqual(errors, []);
    await page.close();
    await other.page.close();
  });

  test('a target’s profile shows the same bar; a faction-mate’s profile does not', async () => {
    const { page, errors } = await open(WAR_PAGE);
    await signIn(page, 2001);
    await page.goto(`${torn.origin}/profiles.php?XID=3007`);
    const bar = page.locator('#torncat-target-bar');
    await bar.getByText('free').waitFor({ timeout: 10_000 });
    await bar.getByRole('button', { name: /^Call / }).click();
    await bar.getByText('called by you').waitFor();
    // Answered (the button usable again) before the tab moves on: the test manager's request ids start afresh on each page.
    await bar.locator('button.release:not([disabled])').waitFor();
    if (shots) await page.screenshot({ path: join(shots, 'profile-page-desktop.png') });

    await page.goto(`${torn.origin}/profiles.php?XID=2002`);
    await warShown(page);
    assert.equal(await bar.isVisible(), false);
    assert.equal(await page.locator('#torncat-panel section').isVisible(), true, 'the panel stays, kept to its tab');
    assert.equal(await page.locator('#torncat-panel').getAttribute('data-collapsed'), 'true');
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('the panel’s collapsed tab and open position survive a reload', async () => {
    // A page without Torn's war list, nor a target: the panel is the war board there.
    const { page, errors } = await open('/index.php', script, PHONE);
    await signIn(page, 2002, false);
    const panel = page.locator('#torncat-panel');
    if (shots) await page.screenshot({ path: join(shots, 'panel-390.png') });
    // Open, dragged by its header 40 px left and 60 px up.
    const header = await panel.locator('header strong').boundingBox();
    assert.ok(header);
    await page.mouse.move(header.x + 5, header.y + 5);
    await page.mouse.down();
    await page.mouse.move(header.x - 35, header.y - 55, { steps: 4 });
    await page.mouse.up();
    const openBox = await panel.locator('section').boundingBox();

    await panel.getByRole('button', { name: 'Collapse panel' }).click();
    assert.equal(await panel.getAttribute('data-collapsed'), 'true');
    const tab = panel.getByRole('button', { name: 'Expand panel' });
    const atEdge = await tab.boundingBox();
    assert.ok(atEdge);
    assert.equal(Math.round(atEdge.x), 0, 'the tab sits on the left edge');
    assert.ok(atEdge.width <= 40, `a narrow tab, not a bar: ${atEdge.width} px`);
    // Dragged along the edge: 150 px down and over to the right side.
    await page.mouse.move(atEdge.x + atEdge.width / 2, atEdge.y + 10);
    await page.mouse.down();
    await page.mouse.move(PHONE.width - 10, atEdge.y + 160, { steps: 6 });
    await page.mouse.up();
    const moved = await tab.boundingBox();
    assert.ok(moved);
    assert.equal(Math.round(moved.x + moved.width), PHONE.width, 'let go on the right half: the right edge');
    assert.ok(Math.abs(moved.y - (atEdge.y + 150)) <= 2, `moved down with the pointer: ${atEdge.y} → ${moved.y}`);
    assert.equal(await panel.getAttribute('data-collapsed'), 'true', 'a drag is not a tap');

    await page.reload();
    await warShown(page);
    assert.equal(await panel.getAttribute('data-collapsed'), 'true');
    assert.equal(await panel.locator('ul.targets').isVisible(), false);
    assert.equal(await tab.getAttribute('aria-expanded'), 'false');
    const again = await tab.boundingBox();
    assert.ok(again);
    assert.deepEqual([Math.round(again.x), Math.round(again.y)], [Math.round(moved.x), Math.round(moved.y)]);
    if (shots) await page.screenshot({ path: join(shots, 'panel-collapsed-390.png') });
    // A tap opens it where it was left open.
    await tab.click();
    await panel.locator('ul.targets').waitFor();
    const reopened = await panel.locator('section').boundingBox();
    assert.ok(openBox && reopened);
    assert.deepEqual(
      [Math.round(reopened.x + reopened.width), Math.round(reopened.y + reopened.height)],
      [Math.round(openBox.x + openBox.width), Math.round(openBox.y + openBox.height)],
    );
    await page.setViewportSize(DESKTOP);
    if (shots) await page.screenshot({ path: join(shots, 'panel-desktop.png') });
    await page.reload();
    await warShown(page);
    assert.equal(await panel.getAttribute('data-collapsed'), 'false');
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('collapsed, the panel covers neither Torn’s attack button nor any row’s Call/Release button, at 390 px and on a desktop', async () => {
    const { page, errors } = await open(WAR_PAGE, script, PHONE);
    await signIn(page, 2004);
    const panel = page.locator('#torncat-panel');
    const overlap = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
    /** The boxes of every row's Call/Release button, in the page's viewport as it is scrolled now. */
    const rowButtons = () =>
      page.evaluate(() =>
        [...document.querySelectorAll('.enemy-faction .members-list > li > torncat-call')].map((w) => {
          const b = w.shadowRoot!.querySelector('button[data-op="call"], button[data-op="release"]')!.getBoundingClientRect();
          return { x: b.x, y: b.y, width: b.width, height: b.height };
        }),
      );
    for (const viewport of [PHONE, DESKTOP]) {
      await page.setViewportSize(viewport);
      assert.equal(await panel.getAttribute('data-collapsed'), 'true');
      // Every scroll position: the tab is fixed, the rows move under it.
      const height = await page.evaluate(() => document.documentElement.scrollHeight);
      for (let y = 0; y < height; y += Math.round(viewport.height / 3)) {
        await page.evaluate((top) => window.scrollTo(0, top), y);
        const tab = await panel.locator('section').boundingBox();
        assert.ok(tab);
        for (const b of await rowButtons())
          assert.ok(
            !overlap(tab, b),
            `at ${viewport.width} px, scrolled to ${y}: the tab ${JSON.stringify(tab)} covers a row button ${JSON.stringify(b)}`,
          );
      }
      if (shots) await page.screenshot({ path: join(shots, `war-page-tab-${viewport.width}.png`) });
    }

    // An attack page on someone who is no target keeps the panel to its tab too: never over Torn's button.
    await page.goto(`${torn.origin}/page.php?sid=attack&user2ID=2001`);
    await warShown(page);
    for (const viewport of [PHONE, DESKTOP]) {
      await page.setViewportSize(viewport);
      assert.equal(await panel.getAttribute('data-collapsed'), 'true');
      const fight = await page.locator('#start-fight').boundingBox();
      const tab = await panel.locator('section').boundingBox();
      assert.ok(fight && tab);
      assert.ok(
        !overlap(tab, fight),
        `at ${viewport.width} px the tab ${JSON.stringify(tab)} covers the attack button ${JSON.stringify(fight)}`,
      );
    }
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('under TornPDA, the key PDA writes into the script is offered as a one-tap sign-in below the terms', async () => {
    assert.equal(script.split('###PDA-APIKEY###').length, 2, 'the served script holds PDA’s placeholder exactly once');
    // Elsewhere the placeholder is no key: no such button.
    const plain = await open(WAR_PAGE);
    await plain.page.locator('#torncat-panel table.terms').waitFor();
    assert.equal(
      await plain.page
        .locator('#torncat-panel')
        .getByRole('button', { name: /PDA key/ })
        .count(),
      0,
    );
    await plain.page.close();

    const { page, errors } = await open(WAR_PAGE, script, PHONE, { key: demoKey(2003) });
    const panel = page.locator('#torncat-panel');
    const terms = panel.locator('table.terms');
    const pda = panel.getByRole('button', { name: 'Sign in with your PDA key' });
    await terms.waitFor();
    await pda.waitFor();
    const [t, p] = [await terms.boundingBox(), await pda.boundingBox()];
    assert.ok(t && p && t.y + t.height <= p.y, 'the terms come first');
    assert.match((await panel.locator('.pda-note').textContent()) ?? '', /TornPDA's own Limited key, unless you set a Public key/);
    if (shots) await page.screenshot({ path: join(shots, 'pda-sign-in-390.png') });
    await pda.click();
    await widgetsOnEveryTarget(page);
    assert.match((await panel.locator('.who').textContent()) ?? '', new RegExp(names[2003]));
    assert.deepEqual(errors, []);
    await page.close();
  });
});
