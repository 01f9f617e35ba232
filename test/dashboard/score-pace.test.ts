// The score and pace on the board and the war report, in Chromium against the real server and the
// Torn simulator: a chart of both sides' scores that grows with each `war_score` event, each side's
// pace over 15 and 60 minutes, the lead and the target times; at 390 px it fits the screen.
import { describe, test, before } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { pgliteBackend } from '../helpers/databases.js';
import { recordPageErrors, signInOnBoard } from './board-page.js';
import { teardown } from '../helpers/teardown.js';
import { DESKTOP, PHONE, chromiumSkipReason, launchChromium, screenshotDir, type TestBrowser } from '../helpers/chromium.js';
import type { WarFixture } from '../helpers/war-fixture.js';
import { laterInWar, startScoringWar } from '../helpers/scoring-war.js';
import { paceOf } from '../../src/protocol/score.js';

const pglite = await pgliteBackend();
const skip = await chromiumSkipReason();
/** Set SCREENSHOT_DIR to keep screenshots (desktop and phone width). */
const shots = screenshotDir();

describe('score and pace on the board, in Chromium', { skip }, () => {
  let f: WarFixture;
  let browser: TestBrowser;
  let page: Page;
  let token: string;
  const errors: string[] = [];

  const later = (seconds: number) => laterInWar(f, seconds);

  const closeLater = teardown();

  before(async () => {
    f = closeLater(await startScoringWar(pglite, 8));
    token = await f.signIn(2002);
    browser = closeLater(await launchChromium());
    page = await browser.context.newPage();
    await page.setViewportSize(DESKTOP);
    recordPageErrors(page, errors);
    await page.goto(f.server.url + '/');
    await signInOnBoard(page, 2001);
    await page.locator('#transport[data-state="live"]').waitFor();
  });

  const points = (side: 'ours' | 'theirs') =>
    page.locator(`#pace-chart polyline[data-side="${side}"]`).evaluate((p) => (p.getAttribute('points') ?? '').split(' ').length);

  test('the chart draws both sides, and the pace reads as the snapshot’s history computes it', async () => {
    await page.locator('#pace').waitFor();
    const snap = (await f.api('/api/war', { token })).body;
    assert.equal(snap.scoreHistory.length, 9);
    // A step per change (two points each but the first) and one to now.
    assert.equal(await points('ours'), 2 * snap.scoreHistory.length);
    assert.equal(await points('theirs'), 2 * snap.scoreHistory.length);
    // The scale follows the scores (a quarter above the highest): a target far above them is not drawn.
    const high = Math.max(...snap.scoreHistory.map((p: { ours: number; theirs: number }) => Math.max(p.ours, p.theirs)));
    assert.equal(await page.locator('#pace-chart line.target').count(), snap.war.target && snap.war.target <= high * 1.25 + 10 ? 1 : 0);
    const pace = paceOf(snap.scoreHistory, snap.serverTime, snap.war.target);
    const lead = pace.lead > 0 ? `Lead +${pace.lead}` : pace.lead < 0 ? `Behind by ${-pace.lead}` : 'Level';
    assert.equal(
      await page.locator('#pace-lines dd[data-pace="lead"]').textContent(),
      `${pace.ours.score} : ${pace.theirs.score} · ${lead}`,
    );
    const ours = (await page.locator('#pace-lines dd[data-pace="ours"]').textContent()) ?? '';
    assert.match(ours, new RegExp(`^${Math.round(pace.ours.perHour15!)}/h \\(15 min\\) · ${Math.round(pace.ours.perHour60!)}/h \\(1 h\\)`));
    if (snap.war.target) assert.match(ours, / · target in (\d+h\d\d|\d+ min|reached)$/);
    assert.equal(await page.locator('#pace-lines dt[data-pace="theirs"]').textContent(), snap.war.enemy.name);
    if (shots) await page.screenshot({ path: join(shots, 'score-pace-desktop.png') });
  });

  test('a new score comes over the stream as a war_score event: the chart grows without a re-read', async () => {
    const snapshots = Number(await page.evaluate(() => document.body.dataset.snapshots));
    const before = await points('ours');
    await later(10 * 60);
    await page.waitForFunction((n) => {
      const p = document.querySelector('#pace-chart polyline[data-side="ours"]')?.getAttribute('points') ?? '';
      return p.split(' ').length === n;
    }, before + 2);
    assert.equal(Number(await page.evaluate(() => document.body.dataset.snapshots)), snapshots, 'no snapshot re-read');
  });

  test('at 390 px the chart and the pace fit the screen, one under the other', async () => {
    await page.setViewportSize(PHONE);
    await page.locator('#pace').scrollIntoViewIfNeeded();
    const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(scrollWidth <= 390, `no horizontal scroll (${scrollWidth})`);
    const chart = (await page.locator('#pace-chart svg').boundingBox())!;
    const lines = (await page.locator('#pace-lines').boundingBox())!;
    assert.ok(chart.x >= 0 && chart.x + chart.width <= 390, `the chart fits: ${JSON.stringify(chart)}`);
    assert.ok(lines.y >= chart.y + chart.height - 1, 'the pace is under the chart');
    if (shots) await page.screenshot({ path: join(shots, 'score-pace-phone.png') });
    await page.setViewportSize(DESKTOP);
  });

  test('the war report shows the same chart and pace', async () => {
    await page.getByRole('link', { name: 'War report' }).click();
    await page.locator('#report-chart svg').waitFor({ timeout: 5000 });
    const report = (await f.api('/api/wars/5001/report', { token })).body;
    assert.equal(
      await page.locator('#report-chart polyline[data-side="theirs"]').evaluate((p) => (p.getAttribute('points') ?? '').split(' ').length),
      2 * report.scoreHistory.length,
    );
    const lead = report.pace.lead > 0 ? `Lead +${report.pace.lead}` : report.pace.lead < 0 ? `Behind by ${-report.pace.lead}` : 'Level';
    assert.equal(
      await page.locator('#report-pace dd[data-pace="lead"]').textContent(),
      `${report.pace.ours.score} : ${report.pace.theirs.score} · ${lead}`,
    );
    if (shots) await page.screenshot({ path: join(shots, 'score-pace-report-desktop.png'), fullPage: true });
    await page.setViewportSize(PHONE);
    const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(scrollWidth <= 390, `no horizontal scroll on the report (${scrollWidth})`);
    if (shots) await page.screenshot({ path: join(shots, 'score-pace-report-phone.png'), fullPage: true });
    await page.setViewportSize(DESKTOP);
    assert.deepEqual(errors, [], 'no script error, no CSP violation, no failed request');
  });
});
