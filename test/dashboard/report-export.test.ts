// The board's war report in Chromium: TornCat's calls ("target hospitalized") beside Torn's own
// numbers, and its CSV and JSON downloads, read with the token in the Authorization header and
// handed to the browser as a file, so the token is in no URL the browser asked for.
import { describe, test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { pgliteBackend } from '../helpers/databases.js';
import { recordPageErrors, signInOnBoard } from './board-page.js';
import { teardown } from '../helpers/teardown.js';
import { DESKTOP, PHONE, chromiumSkipReason, launchChromium, type TestBrowser } from '../helpers/chromium.js';
import { startWarFixture, type WarFixture } from '../helpers/war-fixture.js';

const pglite = await pgliteBackend();
const skip = await chromiumSkipReason();
/** Set SCREENSHOT_DIR to keep screenshots of the report (desktop and phone width). */
const shots = process.env.SCREENSHOT_DIR;

describe('the board’s war report and its downloads in Chromium', { skip }, () => {
  let f: WarFixture;
  let browser: TestBrowser;
  let page: Page;
  let token: string;
  const urls: string[] = [];
  const downloads: { url: string; authorization: string | undefined }[] = [];
  const errors: string[] = [];

  const closeLater = teardown();

  before(async () => {
    f = closeLater(await startWarFixture(pglite));
    const other = await f.signIn(2002); // a key for the sync to poll with
    await f.sync(1001);
    for (const id of [3001, 3002]) await f.simControl(`/__sim/players/${id}/status`, { state: 'Okay' });
    await f.sync(1001);
    browser = closeLater(await launchChromium());
    page = await browser.context.newPage();
    recordPageErrors(page, errors);
    page.on('request', (r) => {
      urls.push(r.url());
      if (/\/report\.(csv|json)$/.test(r.url())) downloads.push({ url: r.url(), authorization: r.headers().authorization });
    });
    await page.goto(f.server.url + '/');
    await signInOnBoard(page, 2001);
    await page.locator('#targets tbody tr').nth(24).waitFor();
    await page.locator('#transport[data-state="live"]').waitFor();
    token = (await page.evaluate(() => localStorage.getItem('torncat.token'))) ?? '';
    assert.ok(token.length > 10, 'the board keeps its session token');

    // 2001 calls 3001 and hits it himself; 2002 calls 3002, which someone else puts in hospital.
    for (const [who, targetId] of [
      [token, 3001],
      [other, 3002],
    ] as const) {
      const r = await f.api('/api/calls', { token: who, body: { ops: [{ op: 'call', targetId }] } });
      assert.equal(r.body.results[0].ok, true, JSON.stringify(r.body));
    }
    await f.simControl('/__sim/attacks', { attacker: 2001, defender: 3001 });
    await f.simControl('/__sim/players/3002/status', { state: 'Hospital', details: 'Hospitalized by SomeoneElse' });
    await f.sync(1001);
  });

  const row = (id: number) => page.locator(`#report-table tbody tr[data-member-id="${id}"]`);
  const cell = (id: number, label: string) => row(id).locator(`td[data-label="${label}"]`);

  test('the report names a called target that went into hospital as that, and shows Torn’s numbers beside it', async () => {
    await page.getByRole('link', { name: 'War report' }).click();
    await row(2001).waitFor({ timeout: 5000 });
    const headers = await page.locator('#report-table thead th').allTextContents();
    assert.ok(headers.includes('Target hospitalized') && !headers.includes('Hit'), headers.join(' | '));
    assert.ok(headers.includes('War hits (Torn)'));
    assert.equal(await cell(2001, 'Target hospitalized').textContent(), '1');
    assert.equal(await cell(2002, 'Target hospitalized').textContent(), '1', "2002's target went into hospital, at someone else's hand");
    assert.match((await page.locator('#report-meta').textContent()) ?? '', /whoever put it there/);
  });

  test('Download CSV and Download JSON save the report, read with the token in the header', async () => {
    const save = async (name: string) => {
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name }).click()]);
      const path = await download.path();
      assert.ok(path, 'the file was saved');
      return { filename: download.suggestedFilename(), text: readFileSync(path, 'utf8') };
    };
    const csv = await save('Download CSV');
    assert.equal(csv.filename, 'torncat-war-5001-report.csv');
    const lines = csv.text.split('\r\n');
    assert.match(lines[0], /^war_id,member_id,member,calls,target_hospitalized,/);
    assert.ok(
      lines.some((l) => l.startsWith('5001,2001,')),
      "2001's row",
    );
    assert.ok(
      lines.some((l) => l.startsWith('5001,,Faction total,')),
      'the total row',
    );

    const json = await save('Download JSON');
    assert.equal(json.filename, 'torncat-war-5001-report.json');
    const report = JSON.parse(json.text);
    assert.equal(report.warId, 5001);
    assert.equal(report.members.find((m: any) => m.id === 2002).targetHospitalized, 1);

    assert.deepEqual(
      downloads.map((d) => [new URL(d.url).pathname, d.authorization]),
      [
        ['/api/wars/5001/report.csv', `Bearer ${token}`],
        ['/api/wars/5001/report.json', `Bearer ${token}`],
      ],
    );
    assert.deepEqual(
      urls.filter((u) => u.includes(token) && !/\/(events|ws)\?/.test(u)),
      [],
      'no URL but the streams’ carries the token',
    );
  });

  test('at phone width the report and its buttons fit the screen', async () => {
    await page.setViewportSize(PHONE);
    const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(scrollWidth <= 390, `no horizontal scroll (${scrollWidth})`);
    for (const name of ['Download CSV', 'Download JSON']) {
      const box = await page.getByRole('button', { name }).boundingBox();
      assert.ok(box && box.x >= 0 && box.x + box.width <= 390, `${name} fits`);
    }
    if (shots) {
      mkdirSync(shots, { recursive: true });
      await page.screenshot({ path: join(shots, 'report-phone.png'), fullPage: true });
      await page.setViewportSize(DESKTOP);
      await page.screenshot({ path: join(shots, 'report-desktop.png'), fullPage: true });
    }
    await page.setViewportSize(DESKTOP);
    assert.deepEqual(errors, [], 'no script error, no CSP violation, no failed request');
  });
});
