import type { Page } from 'playwright-core';
import type { TestBrowser } from '../helpers/chromium.js';
import { demoKey } from '../helpers/war-fixture.js';
import { installUserscript, installUserscriptManager, type GmLogEntry } from './torn-page.js';
import { installTornPda, pdaAdaptSource, type TornPda } from './torn-pda.js';

/** The userscript managers the script is tested under: Tampermonkey's kind, a buffering one, and TornPDA. */
export type Manager = 'streaming GM' | 'non-streaming GM' | 'TornPDA';

/** The realtime userscript (or the polling one) as the server serves it. */
export async function servedScript(serverUrl: string, file = 'torn-war-caller-sse.user.js'): Promise<string> {
  return (await fetch(`${serverUrl}/${file}`)).text();
}

export interface ScriptPage {
  page: Page;
  /** The page's uncaught errors. */
  errors: string[];
  /** The manager's requests (GM managers; TornPDA's app requests are in `pda.log`). */
  log: GmLogEntry[];
  /** Drops the manager's requests in flight whose URL matches (GM managers only). */
  cut(match: (url: string) => boolean): void;
  /** The TornPDA stand-in, under TornPDA. */
  pda?: TornPda;
}

/**
 * A new page of `browser` with `script` injected under a userscript manager, at `url` (not navigated
 * without one). `token` is a session kept from an earlier visit, stored where the manager keeps it;
 * under TornPDA the script is adapted as PDA does, with `pdaKey` (the key PDA writes in).
 * `beforeScript` runs on the page after the manager is in and before the script is.
 */
export async function openScriptPage(
  browser: TestBrowser,
  script: string,
  o: {
    url?: string;
    manager?: Manager;
    viewport?: { width: number; height: number };
    token?: string;
    pdaKey?: string;
    refuse?: (url: string) => boolean;
    beforeScript?: (page: Page) => Promise<unknown>;
  } = {},
): Promise<ScriptPage> {
  const manager = o.manager ?? 'streaming GM';
  const page = await browser.context.newPage();
  if (o.viewport) await page.setViewportSize(o.viewport);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  let log: GmLogEntry[];
  let cut: ScriptPage['cut'] = () => undefined;
  let pda: TornPda | undefined;
  if (manager === 'TornPDA') {
    pda = await installTornPda(page);
    log = pda.log;
    if (o.token) await page.addInitScript(`localStorage.setItem('torncat.token', ${JSON.stringify(o.token)})`);
  } else {
    ({ log, cut } = await installUserscriptManager(page, { streaming: manager === 'streaming GM', refuse: o.refuse }));
    if (o.token) await page.addInitScript(`sessionStorage.setItem('__gm_store:torncat.token', ${JSON.stringify(JSON.stringify(o.token))})`);
  }
  await o.beforeScript?.(page);
  // TornPDA rewrites the script (key, wrapper, curly quotes) before injecting it.
  await installUserscript(page, manager === 'TornPDA' ? pdaAdaptSource(script, o.pdaKey ?? '') : script);
  if (o.url) await page.goto(o.url);
  return { page, errors, log, cut, pda };
}

/** Signs in through the panel's key field, as a member does the first time. */
export async function signInOnPanel(page: Page, playerId: number): Promise<void> {
  const panel = page.locator('#torncat-panel');
  await panel.getByLabel(/Torn API key/).fill(demoKey(playerId));
  await panel.getByRole('button', { name: 'Sign in', exact: true }).click();
}

/** Waits until the panel shows the war (`… vs …`): signed in and read. */
export function warShown(page: Page, timeout = 15_000): Promise<void> {
  return page.locator('#torncat-panel .counts', { hasText: 'vs ' }).waitFor({ state: 'attached', timeout });
}
