// Activity, sorting and filters on Torn's own war list and in the panel, in headless Chromium against the
// real server and the Torn simulator: the strip above Torn's list sorts and hides rows by CSS only (Torn's
// row nodes keep their parent and their place in the DOM, as a React-drawn list needs), a leader's priority
// still comes first within a sort, the choice is the panel's too and survives a reload, each row shows the
// target's activity, and at 390 px nothing TornCat adds covers Torn's Attack links.
import { describe, test, before } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { pgliteBackend } from '../helpers/databases.js';
import { PHONE, DESKTOP, chromiumSkipReason, launchChromium, screenshotDir, type TestBrowser } from '../helpers/chromium.js';
import { teardown } from '../helpers/teardown.js';
import { startWarFixture, type WarFixture } from '../helpers/war-fixture.js';
import { fixtureMembers, startTornFixtures, type FixtureMember, WAR_PAGE } from './torn-fixtures.js';
import { openScriptPage, servedScript, warShown } from './script-page.js';

const pglite = await pgliteBackend();
const skip = await chromiumSkipReason();
const shots = screenshotDir();
/** On the enemy's list, but not a target in the snapshot (joined since): sorted after the targets. */
const NOT_A_TARGET = 9999;

type Box = { x: number; y: number; width: number; height: number };
const overlap = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

describe('sort, filters and activity on Torn’s war list and in the panel, in Chromium', { skip }, () => {
  let f: WarFixture;
  let torn: { origin: string; close(): Promise<void> };
  let browser: TestBrowser;
  let script: string;
  let levels: Map<number, number>;
  let targets: FixtureMember[];
  /** The targets the server says are in hospital, traveling or abroad, offline. */
  const inState = { hospital: new Set<number>(), travel: new Set<number>(), offline: new Set<number>() };

  const closeLater = teardown();

  before(async () => {
    f = closeLater(await startWarFixture(pglite));
    await f.signIn(2002);
    const now = ((await (await fetch(f.sim.url + '/__sim/clock')).json()) as { now: number }).now;
    // A war in its every state: two in hospital (one offline), one flying, one idle, one offline, the rest online.
    await f.simControl('/__sim/players/3001/status', { state: 'Hospital', until: now + 900, lastActionAgo: 7200 });
    await f.simControl('/__sim/players/3002/status', { state: 'Hospital', until: now + 300, lastActionAgo: 60 });
    await f.simControl('/__sim/players/3003/status', { state: 'Traveling', destination: 'Mexico', lastActionAgo: 60 });
    await f.simControl('/__sim/players/3004/status', { state: 'Okay', lastActionAgo: 12 * 60 });
    await f.simControl('/__sim/players/3005/status', { state: 'Okay', lastActionAgo: 4 * 3600 });
    for (const id of [3006, 3007, 3008]) await f.simControl(`/__sim/players/${id}/status`, { state: 'Okay', lastActionAgo: 10 });
    await f.sync(1001);
    const war = (await f.api('/api/war', { token: await f.signIn(2002) })).body;
    levels = new Map(war.targets.map((t: any) => [t.id, t.level]));
    for (const t of war.targets) {
      if (t.status.state === 'Hospital') inState.hospital.add(t.id);
      if (t.status.state === 'Traveling' || t.status.state === 'Abroad') inState.travel.add(t.id);
      if (t.lastAction.status === 'Offline') inState.offline.add(t.id);
    }
    // The scenario's own story has more; these are ours for sure.
    for (const [set, ids] of [
      [inState.hospital, [3001, 3002]],
      [inState.travel, [3003]],
      [inState.offline, [3001, 3005]],
    ] as const)
      for (const id of ids) assert.ok(set.has(id), `${id} as set up`);
    targets = fixtureMembers(war.targets);
    torn = closeLater(
      await startTornFixtures({
        enemy: [...targets, { id: NOT_A_TARGET, name: 'Newcomer', level: 1, status: 'Okay' }],
        your: [2001, 2003].map((id) => ({ id, name: `M${id}`, level: 10, status: 'Okay' })),
      }),
    );
    script = await servedScript(f.server.url);
    browser = closeLater(await launchChromium());
  });

  async function open(playerId: number, viewport = DESKTOP, path = WAR_PAGE): Promise<{ page: Page; errors: string[] }> {
    const token = await f.signIn(playerId);
    const { page, errors } = await openScriptPage(browser, script, { url: torn.origin + path, viewport, token });
    if (path === WAR_PAGE) await widgetsOnEveryTarget(page);
    else await warShown(page);
    return { page, errors };
  }

  const widgetsOnEveryTarget = (page: Page) =>
    page.waitForFunction(
      (n) => document.querySelectorAll('.enemy-faction .members-list > li > torncat-call').length === n,
      targets.length,
      { timeout: 15_000 },
    );
  const strip = (page: Page) => page.locator('torncat-list-controls');
  const panel = (page: Page) => page.locator('#torncat-panel');

  /** Torn's enemy rows as the DOM holds them: each node tagged once, so a moved or replaced node shows. */
  const domRows = (page: Page) =>
    page.evaluate(() =>
      [...document.querySelectorAll('.enemy-faction .members-list > li')].map((li, i) => {
        const e = li as HTMLElement & { __tag?: number };
        e.__tag ??= i;
        return {
          id: Number(/XID=(\d+)/.exec(li.querySelector('a')!.getAttribute('href')!)![1]),
          tag: e.__tag,
          parent: li.parentElement!.className,
        };
      }),
    );

  /** The enemy rows as the member sees them: visible ones, top to bottom. */
  const visualOrder = (page: Page) =>
    page.evaluate(() =>
      [...document.querySelectorAll('.enemy-faction .members-list > li')]
        .map((li) => ({
          id: Number(/XID=(\d+)/.exec(li.querySelector('a')!.getAttribute('href')!)![1]),
          box: li.getBoundingClientRect(),
          shown: getComputedStyle(li).display !== 'none',
        }))
        .filter((r) => r.shown)
        .sort((a, b) => a.box.top - b.box.top)
        .map((r) => r.id),
    );

  test('the strip sorts and hides Torn’s rows by CSS only, priority first; the panel follows; a reload and a re-render keep it', async () => {
    const { page, errors } = await open(2001);
    const before = await domRows(page);
    assert.deepEqual(
      await visualOrder(page),
      before.map((r) => r.id),
      "Torn's order to start with",
    );

    // Level, high first: every target by level, the member who is no target after them.
    await strip(page).getByRole('combobox', { name: 'Sort targets' }).selectOption('levelDesc');
    await page.waitForFunction(() => document.querySelector('.enemy-faction .members-list')?.hasAttribute('data-torncat-sorted'));
    let order = await visualOrder(page);
    assert.equal(order[order.length - 1], NOT_A_TARGET);
    const lv = order.slice(0, -1).map((id) => levels.get(id)!);
    assert.deepEqual(
      lv,
      [...lv].sort((a, b) => b - a),
      `levels top to bottom: ${lv.join(', ')}`,
    );
    assert.deepEqual(await domRows(page), before, "Torn's nodes keep their parent and their place");
    assert.equal(
      await page.evaluate(
        () =>
          document.querySelectorAll('.your-faction [data-torncat-order], .your-faction [data-torncat-sorted], .your-faction li[style]')
            .length,
      ),
      0,
      'our own faction’s list stays as Torn drew it',
    );

    // Filters: hospital, then offline, then traveling and abroad, as the server has the targets.
    const hidden = (sets: Set<number>[]) => new Set(sets.flatMap((x) => [...x]));
    const waitHidden = (n: number) => page.waitForFunction((k) => document.querySelectorAll('li[data-torncat-hidden]').length === k, n);
    await strip(page).getByRole('button', { name: 'Hide targets in hospital' }).click();
    await waitHidden(inState.hospital.size);
    await strip(page).getByRole('button', { name: 'Hide offline targets' }).click();
    await waitHidden(hidden([inState.hospital, inState.offline]).size);
    await strip(page).getByRole('button', { name: 'Hide targets traveling or abroad' }).click();
    const gone = hidden([inState.hospital, inState.offline, inState.travel]);
    await waitHidden(gone.size);
    order = await visualOrder(page);
    assert.deepEqual(
      order.slice(0, -1).sort(),
      targets
        .map((t) => t.id)
        .filter((id) => !gone.has(id))
        .sort(),
      'exactly the others show',
    );
    assert.equal(await strip(page).locator('.hidden-count').textContent(), `${gone.size} hidden`);
    assert.deepEqual(await domRows(page), before, 'hiding moves nothing either');

    // A leader's priority comes first within the sort, though its level is the lowest shown.
    const lowest = order.slice(0, -1).reduce((a, b) => (levels.get(a)! <= levels.get(b)! ? a : b));
    const marked = await f.api('/api/calls', {
      token: await f.signIn(2001),
      body: { ops: [{ op: 'mark', targetId: lowest, mark: 'priority' }] },
    });
    assert.equal(marked.body.results[0].ok, true);
    await page.waitForFunction((id) => document.querySelector(`li[data-torncat-mark="priority"] a[href$="XID=${id}"]`), lowest, {
      timeout: 10_000,
    });
    await page.waitForFunction((id) => {
      const rows = [...document.querySelectorAll('.enemy-faction .members-list > li')].filter(
        (li) => getComputedStyle(li).display !== 'none',
      );
      rows.sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top);
      return rows[0]?.querySelector(`a[href$="XID=${id}"]`) !== null;
    }, lowest);
    order = await visualOrder(page);
    assert.equal(order[0], lowest);
    const rest = order.slice(1, -1).map((id) => levels.get(id)!);
    assert.deepEqual(
      rest,
      [...rest].sort((a, b) => b - a),
      'the others still by level',
    );

    // The panel holds the same choice and shows the same rows.
    await panel(page).getByRole('button', { name: 'Expand panel' }).click();
    assert.equal(await panel(page).getByRole('combobox', { name: 'Sort targets' }).inputValue(), 'levelDesc');
    assert.equal(await panel(page).getByRole('button', { name: 'Hide targets in hospital' }).getAttribute('aria-pressed'), 'true');
    const panelIds = await panel(page)
      .locator('ul.targets > li')
      .evaluateAll((lis) => lis.map((li) => Number(li.getAttribute('data-target-id'))));
    assert.deepEqual(panelIds, order.slice(0, -1), 'the panel lists what Torn’s list shows, in the same order');
    if (shots) await page.screenshot({ path: join(shots, 'war-list-sorted-1280.png'), fullPage: true });
    await panel(page).getByRole('button', { name: 'Collapse panel' }).click();

    // Torn's React draws new rows: they get their order and hiding at once.
    await page.evaluate(() => (window as any).__tornRerender());
    await widgetsOnEveryTarget(page);
    await waitHidden(gone.size);
    assert.deepEqual(await visualOrder(page), order);

    // A reload keeps the choice (the manager's storage), and applies it again.
    await page.reload();
    await widgetsOnEveryTarget(page);
    await waitHidden(gone.size);
    assert.equal(await strip(page).getByRole('combobox', { name: 'Sort targets' }).inputValue(), 'levelDesc');
    assert.deepEqual(await visualOrder(page), order);

    // Back to Torn's order, nothing hidden: only the priority row moves.
    await strip(page).getByRole('combobox', { name: 'Sort targets' }).selectOption('default');
    for (const name of ['Hide targets in hospital', 'Hide offline targets', 'Hide targets traveling or abroad'])
      await strip(page).getByRole('button', { name }).click();
    await page.waitForFunction(() => document.querySelectorAll('li[data-torncat-hidden], li[data-torncat-order]').length === 0);
    const fresh = (await domRows(page)).map((r) => r.id);
    assert.deepEqual(await visualOrder(page), [lowest, ...fresh.filter((id) => id !== lowest)]);
    await f.api('/api/calls', { token: await f.signIn(2001), body: { ops: [{ op: 'unmark', targetId: lowest }] } });
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('called by others: hidden on request; each row shows its target’s activity', async () => {
    const { page, errors } = await open(2003);
    const other = await f.api('/api/calls', { token: await f.signIn(2002), body: { ops: [{ op: 'call', targetId: 3006 }] } });
    assert.equal(other.body.results[0].ok, true);
    const mine = await f.api('/api/calls', { token: await f.signIn(2003), body: { ops: [{ op: 'call', targetId: 3007 }] } });
    assert.equal(mine.body.results[0].ok, true);
    const widget = (id: number) => page.locator(`.enemy-faction .members-list > li:has(a[href$="XID=${id}"]) torncat-call`);
    await widget(3006)
      .getByText(/called by/)
      .waitFor({ timeout: 10_000 });
    await strip(page).getByRole('button', { name: 'Hide targets called by someone else' }).click();
    await page.waitForFunction(() => document.querySelectorAll('li[data-torncat-hidden]').length === 1);
    const order = await visualOrder(page);
    assert.ok(!order.includes(3006), 'called by another member: hidden');
    assert.ok(order.includes(3007), 'our own call stays');

    // Activity: the simulator's last actions (Torn's Online under 5 min, Idle under 30, else Offline).
    const act = (id: number) => widget(id).locator('.act');
    assert.equal(await act(3004).getAttribute('data-activity'), 'idle');
    assert.match((await act(3004).textContent()) ?? '', /^1[2-4]m$/);
    assert.equal(await act(3005).getAttribute('data-activity'), 'offline');
    assert.match((await act(3005).textContent()) ?? '', /^4h$/);
    assert.equal(await act(3008).getAttribute('data-activity'), 'online');
    assert.equal(await act(3008).textContent(), 'on');
    assert.match((await act(3004).getAttribute('title')) ?? '', /^Idle, last action 1[2-4] min ago$/);
    await panel(page).getByRole('button', { name: 'Expand panel' }).click();
    assert.equal(await panel(page).locator('li[data-target-id="3005"] .act').getAttribute('data-activity'), 'offline');
    await strip(page).getByRole('button', { name: 'Hide targets called by someone else' }).click();
    await f.api('/api/calls', { token: await f.signIn(2002), body: { ops: [{ op: 'release', targetId: 3006 }] } });
    await f.api('/api/calls', { token: await f.signIn(2003), body: { ops: [{ op: 'release', targetId: 3007 }] } });
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('at 390 px and 1280 px nothing TornCat adds covers Torn’s Attack links, at any scroll position', async () => {
    const { page, errors } = await open(2002, PHONE);
    // With a sort and a filter on: the rows TornCat moved are the ones to check.
    await strip(page).getByRole('combobox', { name: 'Sort targets' }).selectOption('nextOut');
    await page.waitForFunction(() => document.querySelector('li[data-torncat-order]'));
    for (const viewport of [PHONE, DESKTOP]) {
      await page.setViewportSize(viewport);
      const height = await page.evaluate(() => document.documentElement.scrollHeight);
      for (let y = 0; y < height; y += Math.round(viewport.height / 3)) {
        await page.evaluate((top) => window.scrollTo(0, top), y);
        // (No named functions in here: the test's compiler would wrap them in a helper the page does not have.)
        const found = await page.evaluate(() => {
          const links = [...document.querySelectorAll('.enemy-faction .members-list > li .attack a')].filter(
            (a) => getComputedStyle(a.closest('li')!).display !== 'none',
          );
          const ours = [
            ...document.querySelectorAll('torncat-call, torncat-list-controls'),
            document.getElementById('torncat-panel')!.shadowRoot!.querySelector('section')!,
          ].map((e) => e.getBoundingClientRect().toJSON() as { x: number; y: number; width: number; height: number });
          return links.map((a) => {
            const b = a.getBoundingClientRect().toJSON() as { x: number; y: number; width: number; height: number };
            const inView = b.y >= 0 && b.y + b.height <= window.innerHeight;
            const hit = inView ? document.elementFromPoint(b.x + b.width / 2, b.y + b.height / 2) : null;
            return { box: b, inView, hitIsLink: hit === a || a.contains(hit), ours };
          });
        });
        for (const l of found) {
          for (const o of l.ours)
            assert.ok(
              !overlap(o, l.box),
              `at ${viewport.width} px, scrolled to ${y}: ${JSON.stringify(o)} covers an Attack link ${JSON.stringify(l.box)}`,
            );
          if (l.inView)
            assert.ok(
              l.hitIsLink,
              `at ${viewport.width} px, scrolled to ${y}: a tap on the Attack link at ${JSON.stringify(l.box)} reaches something else`,
            );
        }
      }
      await page.evaluate(() => window.scrollTo(0, 0));
      if (shots) await page.screenshot({ path: join(shots, `war-list-strip-${viewport.width}.png`) });
    }
    await strip(page).getByRole('combobox', { name: 'Sort targets' }).selectOption('default');
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('on a phone the panel steps aside to its tab as soon as Torn’s rows arrive after the war, not at the next tick', async () => {
    // Torn's list 3 s late: the war's state is in first, the panel open over an empty list.
    const { page, errors } = await open(2002, PHONE, WAR_PAGE.replace('#', '&listDelay=3000#'));
    const panelWhenRowsCame = await page.evaluate(
      () =>
        new Promise<string>((resolve, reject) => {
          if (document.querySelector('torncat-call')) return reject(new Error("Torn's rows came before the check could watch for them"));
          const seen = new MutationObserver(() => {
            if (!document.querySelector('torncat-call')) return;
            seen.disconnect();
            resolve(document.getElementById('torncat-panel')!.getAttribute('data-collapsed') ?? 'none');
          });
          seen.observe(document.body, { childList: true, subtree: true });
        }),
    );
    assert.equal(panelWhenRowsCame, 'true', 'the panel had left the list when the first widget appeared');
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('the panel shows the enemy’s chain under ours and alerts once per chain: growing past the member’s size, near a bonus', async () => {
    const { page, errors } = await open(2004, PHONE, '/index.php');
    await f.simControl('/__sim/factions/1002/chain', { current: 47 });
    await f.sync(1001);
    const line = panel(page).locator('.enemy-chain');
    await line.getByText(/^Their chain 47 · breaks ≤ [45]:\d\d · bonus 50 in 3$/).waitFor({ timeout: 10_000 });
    await page.waitForFunction(() => (window as any).__gmNotifications.length >= 2, null, { timeout: 5000 });
    await page.waitForTimeout(2500); // two more of the panel's once-a-second checks
    const shown = await page.evaluate(() => (window as any).__gmNotifications as { title: string; text: string }[]);
    assert.deepEqual(shown.map((n) => n.title).sort(), ['Their chain is growing', 'Their chain nears a bonus']);
    assert.ok(
      shown.some((n) => n.text === "Demo Rivals' chain 47: bonus hit 50 in 3 hits"),
      JSON.stringify(shown),
    );
    // The panel's own sort and filters sit above its list.
    assert.equal(await panel(page).getByRole('combobox', { name: 'Sort targets' }).isVisible(), true);
    if (shots) await page.screenshot({ path: join(shots, 'panel-enemy-chain-390.png') });
    await page.reload();
    await line.getByText(/^Their chain 47/).waitFor({ timeout: 10_000 });
    await page.waitForTimeout(2500);
    assert.equal(await page.evaluate(() => (window as any).__gmNotifications.length), 0, 'not again on the next page');
    await page.setViewportSize(DESKTOP);
    if (shots) await page.screenshot({ path: join(shots, 'panel-enemy-chain-1280.png') });
    assert.deepEqual(errors, []);
    await page.close();
  });
});
