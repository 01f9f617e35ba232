// War intelligence in the userscript on Torn's pages, in headless Chromium against the real server and
// the Torn simulator: exit alerts (once per exit) through GM_notification or, on TornPDA, PDA's own
// toast and notification handlers (never its blocking GM_notification); a leader's marks on Torn's war list (shown, sorted, dimmed); an assist raised from the panel
// on another member's page; the chain strip following a chain event, its alerts, and the attack page's bar.
import { describe, test, before } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { pgliteBackend } from '../helpers/databases.js';
import { PHONE, DESKTOP, chromiumSkipReason, launchChromium, screenshotDir, type TestBrowser } from '../helpers/chromium.js';
import { teardown } from '../helpers/teardown.js';
import { demoKey, startWarFixture, type WarFixture } from '../helpers/war-fixture.js';
import { fixtureMembers, startTornFixtures, type FixtureMember, WAR_PAGE } from './torn-fixtures.js';
import { openScriptPage, servedScript, warShown, type Manager } from './script-page.js';

const pglite = await pgliteBackend();
const skip = await chromiumSkipReason();
const shots = screenshotDir();

describe('war intelligence in the userscript on Torn’s pages, in Chromium', { skip }, () => {
  let f: WarFixture;
  let torn: { origin: string; close(): Promise<void> };
  let browser: TestBrowser;
  let script: string;
  let targets: FixtureMember[];
  const names: Record<number, string> = {};

  const closeLater = teardown();

  before(async () => {
    f = closeLater(await startWarFixture(pglite));
    await f.signIn(2002); // keeps the faction polled whatever the pages' members do
    await f.sync(1001);
    const token = await f.signIn(2002);
    const war = (await f.api('/api/war', { token })).body;
    targets = fixtureMembers(war.targets);
    for (const t of war.targets) names[t.id] = t.name;
    for (const id of [2001, 2003, 2004, 2005, 2006, 2007, 2008])
      names[id] = (await f.api('/api/auth', { body: { apiKey: demoKey(id) } })).body.player.name;
    // Our faction's member list read again, now that these members are signed in: their positions are known (2001 leads).
    await f.sync(1001);
    torn = closeLater(
      await startTornFixtures({
        enemy: targets,
        your: [2001, 2003].map((id) => ({ id, name: names[id], level: 10, status: 'Okay' })),
      }),
    );
    script = await servedScript(f.server.url);
    browser = closeLater(await launchChromium());
  });

  /** A page of the Torn fixtures with the script under `manager`, already signed in as `playerId` (a session kept from an earlier visit). */
  async function open(playerId: number, path: string, o: { manager?: Manager; viewport?: { width: number; height: number } } = {}) {
    const token = await f.signIn(playerId);
    const { page, errors, pda } = await openScriptPage(browser, script, {
      url: torn.origin + path,
      manager: o.manager,
      viewport: o.viewport ?? DESKTOP,
      token,
      pdaKey: demoKey(playerId),
    });
    await warShown(page);
    return { page, errors, pda };
  }

  const panel = (page: Page) => page.locator('#torncat-panel');
  const panelRow = (page: Page, id: number) => panel(page).locator(`ul.targets > li[data-target-id="${id}"]`);
  const enemyRow = (page: Page, id: number) => page.locator(`.enemy-faction .members-list > li:has(a[href$="XID=${id}"])`);
  const widget = (page: Page, id: number) => enemyRow(page, id).locator('torncat-call');
  const simNow = async () => ((await (await fetch(f.sim.url + '/__sim/clock')).json()) as { now: number }).now;
  const gmNotifications = (page: Page) => page.evaluate(() => (window as any).__gmNotifications as { title: string; text: string }[]);
  const toastCount = async (page: Page) => Number((await page.locator('#torncat-alerts').getAttribute('data-count')) ?? 0);

  /** How many alerts the page gave, whichever way: the manager's notifications, or the page's toasts. */
  const alertsGiven = async (page: Page, manager: Manager) =>
    manager === 'TornPDA' ? toastCount(page) : (await gmNotifications(page)).length;

  /** The countdown a target's widget shows, in seconds (`Hosp 0:17` → 17); null without one. */
  async function countdown(page: Page, id: number): Promise<number | null> {
    const t = (await panelRow(page, id).locator('.status').textContent()) ?? '';
    const m = /(\d+):(\d\d)$/.exec(t);
    return m ? Number(m[1]) * 60 + Number(m[2]) : null;
  }

  /** Lets at least two of the panel's once-a-second checks run, seen by a countdown going down by two. */
  async function twoTicks(page: Page, id: number): Promise<void> {
    const from = await countdown(page, id);
    assert.ok(from !== null && from > 3, `a countdown to watch on ${id}: ${from}`);
    await page.waitForFunction(
      ([sel, start]) => {
        const host = document.getElementById('torncat-panel');
        const t = host?.shadowRoot?.querySelector(sel)?.textContent ?? '';
        const m = /(\d+):(\d\d)$/.exec(t);
        return !!m && Number(m[1]) * 60 + Number(m[2]) <= (start as number) - 2;
      },
      [`ul.targets > li[data-target-id="${id}"] .status`, from] as const,
      { timeout: 10_000 },
    );
  }

  for (const [i, manager] of (['streaming GM', 'non-streaming GM', 'TornPDA'] as const).entries()) {
    test(`${manager}: a watched target’s exit alert fires once, ${manager === 'TornPDA' ? "through PDA's toast and notification, no dialog" : 'through GM_notification'}, and not again after a reload`, async () => {
      const member = 2005 + i;
      const target = 3010 + i;
      const { page, errors, pda } = await open(member, '/index.php', { manager });
      // Watched from the panel, then the target goes to hospital for 20 s: inside the 30 s lead.
      await panelRow(page, target)
        .getByRole('button', { name: `Watch ${names[target]}` })
        .click();
      await panelRow(page, target).locator('button.watch[aria-pressed="true"]').waitFor();
      assert.deepEqual((await f.api('/api/war', { token: await f.signIn(member) })).body.watches, [target], 'the server holds the watch');
      await f.simControl(`/__sim/players/${target}/status`, { state: 'Hospital', until: (await simNow()) + 25 });
      await f.sync(1001);
      await page.waitForFunction(
        ([pda]) =>
          (pda
            ? Number(document.getElementById('torncat-alerts')?.getAttribute('data-count') ?? 0)
            : (window as any).__gmNotifications.length) >= 1,
        [manager === 'TornPDA'] as const,
        { timeout: 15_000 },
      );
      if (pda) {
        const t0 = Date.now();
        while (pda.toasts.length === 0 && Date.now() - t0 < 5000) await new Promise((r) => setTimeout(r, 50));
        assert.equal(pda.toasts.length, 1, "one toast through PDA's showToast");
        assert.match(pda.toasts[0].text, new RegExp(`^Leaving hospital: ${names[target]} leaves hospital in \\d+ s`));
        assert.equal(pda.notifications.length, 1, "and one notification through PDA's scheduleNotification");
        assert.equal(pda.notifications[0].title, 'Leaving hospital');
        assert.deepEqual(pda.dialogs, [], "never PDA's GM_notification, a blocking confirm()");
        assert.equal(await page.locator('#torncat-alerts .toast').count(), 0, 'no toast of ours besides PDA’s');
      } else {
        const [n] = await gmNotifications(page);
        assert.equal(n.title, 'Leaving hospital');
        assert.match(n.text, new RegExp(`${names[target]} leaves hospital in \\d+ s`));
        assert.equal(await page.locator('#torncat-alerts .toast').count(), 0, 'no toast besides the manager’s notification');
      }
      // The same exit on later checks, a new sync and a reload: nothing more.
      await twoTicks(page, target);
      await f.sync(1001);
      await twoTicks(page, target);
      assert.equal(await alertsGiven(page, manager), 1);
      await page.reload();
      await panelRow(page, target).waitFor();
      await twoTicks(page, target);
      assert.equal(await alertsGiven(page, manager), 0, 'not again on the next page');
      if (pda) assert.equal(pda.toasts.length, 1, 'nor through PDA');
      assert.deepEqual(errors, []);
      await page.close();
    });
  }

  test('a watched target called for its exit and medded out early: “for exit”, then highlighted on Torn’s list and in the panel, and one “out early” alert', async () => {
    const member = 2009;
    const target = 3016;
    const { page, errors } = await open(member, WAR_PAGE, { viewport: PHONE });
    await widget(page, target)
      .getByRole('button', { name: `Watch ${names[target]}` })
      .click();
    await widget(page, target).locator('button[aria-pressed="true"]').waitFor();
    await f.simControl(`/__sim/players/${target}/status`, { state: 'Hospital', until: (await simNow()) + 1800 });
    await f.sync(1001);
    await panelRow(page, target)
      .locator('.status', { hasText: /^Hosp / })
      .waitFor({ state: 'attached', timeout: 10_000 });
    assert.equal((await gmNotifications(page)).length, 0, 'half an hour out: no alert yet');
    // Called while in hospital: claimed for its exit, and the row says so.
    await widget(page, target)
      .getByRole('button', { name: `Call ${names[target]}` })
      .click();
    await widget(page, target).locator('.state', { hasText: 'called by you (for exit)' }).waitFor();

    await f.simControl(`/__sim/players/${target}/discharge`, {});
    await f.sync(1001);
    await enemyRow(page, target).and(page.locator('li[data-torncat-early]')).waitFor({ timeout: 10_000 });
    await widget(page, target).locator('.intel', { hasText: 'out early' }).waitFor();
    // Out: the call's time runs from now, no longer waiting.
    await widget(page, target)
      .locator('.state', { hasText: /^called by you$/ })
      .waitFor();
    assert.match((await panelRow(page, target).getAttribute('class')) ?? '', /\bearly\b/);
    await page.waitForFunction(() => (window as any).__gmNotifications.length >= 1, null, { timeout: 5000 });
    const [n] = await gmNotifications(page);
    assert.equal(n.title, 'Out of hospital early');
    assert.match(n.text, new RegExp(`${names[target]} is out of hospital early`));
    if (shots) await page.screenshot({ path: join(shots, 'war-page-early-exit-390.png') });
    await f.sync(1001);
    await page.reload();
    await enemyRow(page, target).and(page.locator('li[data-torncat-early]')).waitFor({ timeout: 10_000 });
    // Two more of the panel's checks on the reloaded page (a hospital countdown shows them), and no second alert.
    const ticking = await page.evaluate(() => {
      const rows = document.getElementById('torncat-panel')!.shadowRoot!.querySelectorAll('ul.targets > li');
      const li = [...rows].find((r) => /^Hosp \d+:\d\d$/.test(r.querySelector('.status')?.textContent ?? ''));
      return Number(li?.getAttribute('data-target-id'));
    });
    await twoTicks(page, ticking);
    assert.equal((await gmNotifications(page)).length, 0, 'the same exit does not alert again');
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('travel and a hospital abroad show in Torn’s rows: “→ Mexico”, “← from Mexico”, “in Mexico”, “in a Swiss hospital”', async () => {
    const { page, errors } = await open(2010, WAR_PAGE, { viewport: PHONE });
    const [out, back, there, hosp] = [3017, 3018, 3019, 3020];
    await f.simControl(`/__sim/players/${out}/status`, { state: 'Traveling', destination: 'Mexico' });
    await f.simControl(`/__sim/players/${back}/status`, { state: 'Traveling', destination: 'Mexico', returning: true });
    await f.simControl(`/__sim/players/${there}/status`, { state: 'Abroad', destination: 'Mexico' });
    await f.simControl(`/__sim/players/${hosp}/status`, { state: 'Hospital', until: (await simNow()) + 900, destination: 'Switzerland' });
    await f.sync(1001);
    await widget(page, out)
      .locator('.intel', { hasText: /^→ Mexico(, lands \d\d:\d\d–\d\d:\d\d)?$/ })
      .waitFor({ timeout: 10_000 });
    await widget(page, back)
      .locator('.intel', { hasText: /^← from Mexico(, lands \d\d:\d\d–\d\d:\d\d)?$/ })
      .waitFor();
    await widget(page, there)
      .locator('.intel', { hasText: /^in Mexico$/ })
      .waitFor();
    await widget(page, hosp)
      .locator('.intel', { hasText: /^in a Swiss hospital$/ })
      .waitFor();
    assert.match((await panelRow(page, hosp).locator('.status').textContent()) ?? '', /^In a Swiss hospital \d+:\d\d$/);
    if (shots) await page.screenshot({ path: join(shots, 'war-page-travel-390.png') });
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('a leader’s marks reach another member’s war page: priority first, avoid last and dimmed, notes shown; only leaders get Mark', async () => {
    const leader = await open(2001, '/index.php'); // the simulator's faction leader (its first member)
    const member = await open(2003, WAR_PAGE, { viewport: PHONE });
    const [priority, avoid] = [targets[targets.length - 1].id, targets[0].id];

    await panelRow(leader.page, priority)
      .getByRole('button', { name: `Mark ${names[priority]}` })
      .click();
    await panelRow(leader.page, priority).getByRole('button', { name: 'Priority' }).click();
    await panelRow(leader.page, priority).locator('.intel', { hasText: 'Priority' }).waitFor();
    await panelRow(leader.page, avoid)
      .getByRole('button', { name: `Mark ${names[avoid]}` })
      .click();
    await panelRow(leader.page, avoid).getByRole('button', { name: 'Avoid' }).click();
    const note = targets[3].id;
    await panelRow(leader.page, note)
      .getByRole('button', { name: `Mark ${names[note]}` })
      .click();
    await panelRow(leader.page, note).getByLabel('Note for the faction').fill('has a Kevlar vest');
    await panelRow(leader.page, note).getByRole('button', { name: 'Note', exact: true }).click();
    // In the leader's own panel, the priority row comes first.
    await panelRow(leader.page, priority).and(panel(leader.page).locator('ul.targets > li').first()).waitFor();

    // On the other member's Torn war list: shown in the row, sorted, dimmed.
    await enemyRow(member.page, priority).and(member.page.locator('li[data-torncat-mark="priority"]')).waitFor({ timeout: 10_000 });
    await enemyRow(member.page, avoid).and(member.page.locator('li[data-torncat-mark="avoid"]')).waitFor();
    await widget(member.page, note).getByText('Note: has a Kevlar vest').waitFor();
    assert.match((await widget(member.page, priority).locator('.mark').textContent()) ?? '', /Priority/);
    const tops = await member.page.evaluate(() =>
      [...document.querySelectorAll('.enemy-faction .members-list > li')].map((li) => ({
        id: Number(/XID=(\d+)/.exec(li.querySelector('a')!.getAttribute('href')!)![1]),
        top: li.getBoundingClientRect().top,
        opacity: Number(getComputedStyle(li).opacity),
      })),
    );
    const byTop = [...tops].sort((a, b) => a.top - b.top).map((r) => r.id);
    assert.equal(byTop[0], priority, 'the priority row shows first on Torn’s list');
    assert.equal(byTop[byTop.length - 1], avoid, 'the avoid row shows last');
    assert.ok(tops.find((r) => r.id === avoid)!.opacity < 0.6, 'the avoid row is dimmed');
    assert.equal(tops.find((r) => r.id === priority)!.opacity, 1);
    if (shots) await member.page.screenshot({ path: join(shots, 'war-page-marks-390.png') });

    // A member without the position gets no Mark control (the snapshot's `me.canMark`; from a server
    // that does not say, the control goes at the first refusal); the leader keeps it.
    await member.page.locator('#torncat-panel').getByRole('button', { name: 'Expand panel' }).click();
    await panelRow(member.page, priority).and(panel(member.page).locator('ul.targets > li').first()).waitFor();
    const memberMark = panelRow(member.page, priority).getByRole('button', { name: /^Mark / });
    if (await memberMark.isVisible()) {
      await memberMark.click();
      await panelRow(member.page, priority).getByRole('button', { name: 'Avoid' }).click();
      await panel(member.page)
        .locator('.msg', { hasText: /position|leader|not allowed/i })
        .waitFor();
    }
    await memberMark.waitFor({ state: 'hidden' });
    assert.equal(
      await panel(member.page)
        .getByRole('button', { name: /^Mark / })
        .count(),
      0,
      'no Mark control on any row',
    );
    assert.equal(
      await panelRow(member.page, priority)
        .getAttribute('class')
        .then((c) => /priority/.test(c ?? '')),
      true,
      'the mark stands',
    );
    assert.equal(
      await panelRow(leader.page, priority)
        .getByRole('button', { name: /^Mark / })
        .isVisible(),
      true,
    );
    // A mark by a member without the position is refused by the server, on its own terms.
    const refused = await f.api('/api/calls', {
      token: await f.signIn(2003),
      body: { ops: [{ op: 'mark', targetId: priority, mark: 'avoid' }] },
    });
    assert.equal(refused.body.results[0].ok, false);
    assert.equal(refused.body.results[0].error.code, 'not_allowed');

    // Cleared by the leader: the row goes back to Torn's order.
    await panelRow(leader.page, avoid)
      .getByRole('button', { name: `Mark ${names[avoid]}` })
      .click();
    await panelRow(leader.page, avoid).getByRole('button', { name: 'Clear' }).click();
    await member.page.locator('li[data-torncat-mark="avoid"]').waitFor({ state: 'detached', timeout: 10_000 });
    if (shots) await leader.page.screenshot({ path: join(shots, 'panel-marks-desktop.png') });
    assert.deepEqual(leader.errors, []);
    assert.deepEqual(member.errors, []);
    await leader.page.close();
    await member.page.close();
  });

  test('an assist raised from the panel reaches another member’s war page and panel, with the requester and the time left', async () => {
    const asker = await open(2004, '/index.php', { viewport: PHONE });
    const other = await open(2008, WAR_PAGE);
    const target = targets[5].id;
    await panelRow(asker.page, target)
      .getByRole('button', { name: `Assist: ask for help on ${names[target]}` })
      .click();
    await panelRow(asker.page, target).locator('button.assist', { hasText: 'Asked' }).waitFor();
    await panel(asker.page)
      .locator('.assists li', { hasText: `You → ${names[target]}` })
      .waitFor();

    await widget(other.page, target).getByText(`help: ${names[2004]}`).waitFor({ timeout: 10_000 });
    await other.page.locator('#torncat-panel').getByRole('button', { name: 'Expand panel' }).click();
    const item = panel(other.page).locator('.assists li', { hasText: `${names[2004]} → ${names[target]}` });
    await item.waitFor();
    const left = (await item.locator('.left').textContent()) ?? '';
    const m = /^(\d+):(\d\d)$/.exec(left);
    assert.ok(m, `time left as m:ss: ${left}`);
    const s = Number(m[1]) * 60 + Number(m[2]);
    assert.ok(s > 0 && s <= 180, `open for at most ASSIST_TTL_MS (3 min): ${s} s`);
    assert.match((await item.locator('a').getAttribute('href')) ?? '', new RegExp(`page\\.php\\?sid=attack&user2ID=${target}$`));
    if (shots) {
      await asker.page.screenshot({ path: join(shots, 'panel-assist-390.png') });
      await other.page.screenshot({ path: join(shots, 'war-page-assist-desktop.png') });
    }
    assert.deepEqual(asker.errors, []);
    assert.deepEqual(other.errors, []);
    await asker.page.close();
    await other.page.close();
  });

  test('the chain strip follows chain events; a bonus ahead and a timeout running low alert once; the attack page’s bar shows the chain', async () => {
    const { page, errors } = await open(2007, '/index.php', { manager: 'non-streaming GM', viewport: PHONE });
    const strip = panel(page).locator('.chain');
    await f.simControl('/__sim/factions/1001/chain', { current: 23 });
    await f.sync(1001);
    await strip.getByText(/^Chain 23 · \d:\d\d left · bonus 25 in 2$/).waitFor({ timeout: 10_000 });
    assert.equal(await strip.getAttribute('data-urgent'), 'false');
    await page.waitForFunction(() => (window as any).__gmNotifications.some((n: any) => /bonus hit 25/.test(n.text)), null, {
      timeout: 5000,
    });

    // A hit later, with 40 s left: under the member's 60 s threshold, on a chain past 10.
    await f.simControl('/__sim/factions/1001/chain', { current: 24, timeout: 40 });
    await f.sync(1001);
    await strip.getByText(/^Chain 24 · 0:[34]\d left/).waitFor({ timeout: 10_000 });
    assert.equal(await strip.getAttribute('data-urgent'), 'true');
    await page.waitForFunction(
      () => (window as any).__gmNotifications.some((n: any) => /Chain 24: 0:\d\d before it breaks/.test(n.text)),
      null,
      {
        timeout: 5000,
      },
    );
    if (shots) await page.screenshot({ path: join(shots, 'panel-chain-390.png') });
    await panel(page).getByRole('button', { name: 'Collapse panel' }).click();
    assert.equal(await panel(page).locator('.tab-chain').textContent(), '24', 'the tab shows the chain');
    const given = (await gmNotifications(page)).map((n) => n.text);
    assert.equal(given.filter((t) => /bonus hit 25/.test(t)).length, 1);
    assert.equal(given.filter((t) => /before it breaks/.test(t)).length, 1);

    await page.goto(`${torn.origin}/page.php?sid=attack&user2ID=${targets[1].id}`);
    const bar = page.locator('#torncat-target-bar');
    await bar.locator('.torncat-chain', { hasText: 'Chain 24' }).waitFor({ timeout: 10_000 });
    assert.equal(await bar.locator('.torncat-chain').getAttribute('data-urgent'), 'true');
    if (shots) await page.screenshot({ path: join(shots, 'attack-page-chain-390.png') });
    await page.setViewportSize(DESKTOP);
    if (shots) await page.screenshot({ path: join(shots, 'attack-page-chain-desktop.png') });
    assert.deepEqual(errors, []);
    await page.close();
  });
});
