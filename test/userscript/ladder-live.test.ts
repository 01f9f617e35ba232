import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { pgliteBackend } from '../helpers/databases.js';
import { chromiumSkipReason, launchChromium, type TestBrowser } from '../helpers/chromium.js';
import { teardown } from '../helpers/teardown.js';
import { demoKey, startWarFixture, type WarFixture } from '../helpers/war-fixture.js';
import { startTornPage } from './torn-page.js';
import { openScriptPage, servedScript, type Manager } from './script-page.js';

const pglite = await pgliteBackend();
const skip = await chromiumSkipReason();

/**
 * How soon a member sees another member's call, per kind of userscript manager, on a torn.com
 * stand-in with Torn's kind of CSP (connect-src 'self', from another origin than the server): from
 * the script's start, and from the call once live. The figures are printed for the record.
 */
describe('live at page load, per manager, under torn.com CSP', { skip }, () => {
  let f: WarFixture;
  let torn: { origin: string; close(): Promise<void> };
  let browser: TestBrowser;
  let sse: string;
  let other: { token: string; name: string };
  let nextTarget = 3002;
  const figures: Record<string, Record<string, number | string>> = {};

  const closeLater = teardown();

  before(async () => {
    torn = closeLater(await startTornPage());
    f = closeLater(await startWarFixture(pglite, { env: { USERSCRIPT_POLL_INTERVAL_MS: '700', MAX_ACTIVE_CALLS_PER_MEMBER: '25' } }));
    const r = await f.api('/api/auth', { body: { apiKey: demoKey(2002) } });
    other = { token: r.body.token, name: r.body.player.name };
    await f.sync(1001);
    sse = await servedScript(f.server.url);
    browser = closeLater(await launchChromium());
  });
  after(() => console.log(`ladder figures (ms): ${JSON.stringify(figures, null, 2)}`));

  const callAs = (op: 'call' | 'release', targetId: number) =>
    f.api('/api/calls', { token: other.token, body: { ops: [{ op, targetId }] } });
  const headSeq = async () => (await f.api('/api/war', { token: other.token })).body.seq as number;
  const attr = (page: Page, name: string) => page.locator('#torncat-panel').getAttribute(name);
  const waitRung = (page: Page, rung: string, timeout = 20_000) =>
    page.locator(`#torncat-panel[data-rung="${rung}"][data-rung-state="live"]`).waitFor({ state: 'attached', timeout });

  /** When (page clock, ms) the row of `targetId` first shows the other member's call. */
  const shownAt = (page: Page, targetId: number): Promise<number> =>
    page
      .waitForFunction(
        ([id, name]) => {
          const host = document.getElementById('torncat-panel');
          const sel = `li[data-target-id="${id}"] .caller`;
          const el = host?.shadowRoot?.querySelector(sel) ?? host?.querySelector(sel);
          return el?.textContent?.includes(name as string) ? Date.now() : false;
        },
        [targetId, other.name] as const,
        { polling: 5, timeout: 20_000 },
      )
      .then((h) => h.jsonValue() as Promise<number>);

  /**
   * Opens the stand-in with a stored session (as on any visit after the first sign-in) and the
   * realtime script; another member calls a target the moment the script starts.
   */
  async function visit(manager: Manager, playerId: number, options: { refuse?: (url: string) => boolean } = {}) {
    const token = await f.signIn(playerId);
    const started: { at?: number; call?: Promise<unknown>; target: number } = { target: nextTarget++ };
    const { page, errors, cut } = await openScriptPage(browser, sse, {
      manager,
      token,
      pdaKey: demoKey(playerId),
      refuse: options.refuse,
      async beforeScript(page) {
        await page.exposeBinding('__scriptStarts', () => {
          if (started.at !== undefined) return;
          started.at = Date.now();
          started.call = callAs('call', started.target);
        });
        await page.addInitScript('window.__scriptStarts()');
      },
    });
    return { page, errors, cut, started };
  }

  async function measure(manager: Manager, playerId: number, expectRung: string, callLatencyMs: number) {
    const { page, errors, started } = await visit(manager, playerId);
    await page.goto(torn.origin + '/torn');
    const firstShown = await shownAt(page, started.target);
    await started.call;
    const startToShown = firstShown - (started.at as number);
    await waitRung(page, expectRung);
    const liveAfter = Date.now() - (started.at as number);

    // Once live: a call made elsewhere, timed to its display.
    const latencies: number[] = [];
    for (let i = 0; i < 3; i++) {
      const target = nextTarget++;
      const shown = shownAt(page, target);
      const at = Date.now();
      const r = await callAs('call', target);
      assert.equal(r.body.results[0].ok, true);
      latencies.push((await shown) - at);
    }
    const violations = await page.evaluate(() => (window as any).__cspViolations.length as number);
    // A reload: the ladder starts where it was live, and EventSource (blocked by this page) is not tried again.
    const reloadAt = Date.now();
    await page.reload();
    await waitRung(page, expectRung);
    const reloadLive = Date.now() - reloadAt;
    const violationsAfterReload = await page.evaluate(() => (window as any).__cspViolations.length as number);
    figures[manager] = {
      rung: expectRung,
      'script start → call shown': startToShown,
      [`script start → ${expectRung} live`]: liveAfter,
      'call → shown (live), each': latencies.join(', '),
      'CSP violations, first visit': violations,
      'CSP violations, after reload': violationsAfterReload,
      [`reload → ${expectRung} live (remembered)`]: reloadLive,
    };
    assert.deepEqual(errors, []);
    assert.ok(startToShown < 1500, `${manager}: the call shows ${startToShown} ms after the script starts`);
    for (const l of latencies) assert.ok(l < callLatencyMs, `${manager}: a call showed ${l} ms after it was made`);
    assert.equal(violationsAfterReload, 0, 'no CSP violation once the block is remembered');
    await page.close();
  }

  test('streaming GM manager: live at once, on the GM stream within moments; calls within 300 ms', async () => {
    await measure('streaming GM', 2001, 'gm-stream', 300);
  });

  test('non-streaming GM manager: long-poll at once; calls within 1 s', async () => {
    await measure('non-streaming GM', 2003, 'long-poll', 1000);
  });

  test('TornPDA (its rewrite, PDA_httpGet/PDA_httpPost with their de-duplication, its GM layer): long-poll at once; calls within 1 s', async () => {
    await measure('TornPDA', 2004, 'long-poll', 1000);
  });

  test("the server's streams killed: falls back to long-poll at once, climbs back to the stream, no event lost", async () => {
    let refuse = false;
    const { page, cut, started } = await visit('streaming GM', 2005, { refuse: (url) => refuse && /\/events\?lastEventId=/.test(url) });
    await page.goto(torn.origin + '/torn');
    await shownAt(page, started.target);
    await waitRung(page, 'gm-stream');
    const snapshots = await attr(page, 'data-snapshots');
    const events = Number(await attr(page, 'data-events'));

    refuse = true;
    const cutAt = Date.now();
    cut((url) => /\/events\?lastEventId=/.test(url));
    const during = nextTarget++;
    const shown = shownAt(page, during);
    await callAs('call', during);
    await waitRung(page, 'long-poll', 5000);
    const fellBack = Date.now() - cutAt;
    await shown;

    refuse = false;
    const upAgainFrom = Date.now();
    await waitRung(page, 'gm-stream', 30_000);
    const climbed = Date.now() - upAgainFrom;
    const after = nextTarget++;
    await callAs('call', after);
    await shownAt(page, after);
    assert.equal(await attr(page, 'data-seq'), String(await headSeq()));
    assert.equal(await attr(page, 'data-snapshots'), snapshots, 'nothing missed: no re-read was needed');
    assert.equal(Number(await attr(page, 'data-events')), events + 2, 'each event applied exactly once');
    figures['streams killed'] = { 'cut → long-poll live': fellBack, 'streams back → gm-stream live': climbed };
    await page.close();
  });
});
