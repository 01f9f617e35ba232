// The score's pace in the userscript panel on Torn's pages, in Chromium against the real server and the
// Torn simulator: one line with the lead, each side's pace over 15 and 60 minutes and the target
// times, as the snapshot's history computes it, following each `war_score` event; at 390 px it fits.
import { describe, test, before } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pgliteBackend } from '../helpers/databases.js';
import { DESKTOP, PHONE, chromiumSkipReason, launchChromium, screenshotDir, type TestBrowser } from '../helpers/chromium.js';
import { teardown } from '../helpers/teardown.js';
import type { WarFixture } from '../helpers/war-fixture.js';
import { laterInWar, startScoringWar } from '../helpers/scoring-war.js';
import { fixtureMembers, startTornFixtures } from './torn-fixtures.js';
import { openScriptPage, servedScript } from './script-page.js';
import { paceOf } from '../../src/protocol/score.js';

const pglite = await pgliteBackend();
const skip = await chromiumSkipReason();
const shots = screenshotDir();

describe('the pace line in the userscript panel, in Chromium', { skip }, () => {
  let f: WarFixture;
  let torn: { origin: string; close(): Promise<void> };
  let browser: TestBrowser;
  let script: string;
  let token: string;

  const later = (seconds: number) => laterInWar(f, seconds);

  const closeLater = teardown();

  before(async () => {
    f = closeLater(await startScoringWar(pglite, 6));
    token = await f.signIn(2001);
    const war = (await f.api('/api/war', { token })).body;
    torn = closeLater(
      await startTornFixtures({ enemy: fixtureMembers(war.targets), your: [{ id: 2001, name: 'Leader', level: 10, status: 'Okay' }] }),
    );
    script = await servedScript(f.server.url);
    browser = closeLater(await launchChromium());
  });

  const expected = async () => {
    const snap = (await f.api('/api/war', { token })).body;
    const last = snap.scoreHistory.at(-1);
    const p = paceOf(snap.scoreHistory, Math.max(snap.serverTime, last.at), snap.war.target);
    const lead = p.lead > 0 ? `Lead +${p.lead}` : p.lead < 0 ? `Behind by ${-p.lead}` : 'Level';
    return { p, lead };
  };

  for (const viewport of [DESKTOP, PHONE]) {
    test(`at ${viewport.width} px the panel's pace line reads as the history computes it, and follows a new score`, async () => {
      const { page, errors } = await openScriptPage(browser, script, { url: torn.origin + '/index.php', viewport, token });
      const line = page.locator('#torncat-panel .pace');
      await line.waitFor({ timeout: 15_000 });
      const { p, lead } = await expected();
      const text = (await line.textContent()) ?? '';
      assert.ok(text.startsWith(`${lead} · us ${Math.round(p.ours.perHour15!)}/h·${Math.round(p.ours.perHour60!)}/h`), text);
      assert.match(text, / · them \d+\/h·\d+\/h, target (\d+h\d\d|\d+ min|reached|—)$/);
      const box = (await line.boundingBox())!;
      assert.ok(box.x >= 0 && box.x + box.width <= viewport.width, `the line fits: ${JSON.stringify(box)}`);
      if (shots) await page.screenshot({ path: join(shots, `panel-pace-${viewport.width}.png`) });
      await later(10 * 60);
      const next = await expected();
      const want = `${next.lead} · us ${Math.round(next.p.ours.perHour15!)}/h·${Math.round(next.p.ours.perHour60!)}/h`;
      await page.waitForFunction(
        (w) => (document.getElementById('torncat-panel')?.shadowRoot?.querySelector('.pace')?.textContent ?? '').startsWith(w),
        want,
        { timeout: 10_000 },
      );
      assert.deepEqual(errors, []);
      await page.close();
    });
  }
});
