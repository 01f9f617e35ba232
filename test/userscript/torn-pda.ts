import { request } from 'node:http';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import type { GmLogEntry } from './torn-page.js';

/** The in-page TornPDA stand-in (pda-shim.js): an expression, a function of the window it equips. */
export const PDA_SHIM = readFileSync(new URL('./pda-shim.js', import.meta.url), 'utf8')
  .trim()
  .replace(/;$/, '');

export interface PdaAnswerText {
  status: number;
  statusText: string;
  responseText: string;
  responseHeaders: string;
}

/**
 * The app's side of PDA_httpGet/PDA_httpPost: the request through Node (out of the page's CSP, as
 * the app's own HTTP client is), the whole answer, or a rejection on a network error.
 */
export function pdaAppRequest(method: string, url: string, headers: Record<string, string>, body?: string): Promise<PdaAnswerText> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, statusText: res.statusMessage ?? '', responseText: text, responseHeaders: '' }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    if (body !== undefined && method !== 'GET') req.write(body);
    req.end();
  });
}

/**
 * What TornPDA does to a userscript's text before it injects it (adaptSource in
 * lib/providers/userscripts_provider.dart, Manuito83/torn-pda, 2026-07-25): every `###PDA-APIKEY###`
 * becomes the key (the script's own custom key, else PDA's), the text is wrapped in a function with
 * PDA_storage bound first, and every curly quote becomes an ASCII one.
 */
export function pdaAdaptSource(source: string, apiKey: string, storageId = 'torncat-test'): string {
  const withKey = source.replaceAll('###PDA-APIKEY###', apiKey);
  const bind = `const PDA_storage = window.__pdaStorageFactory && window.__pdaStorageFactory(${JSON.stringify(storageId)});`;
  return `(function() {${bind}${withKey}}());`.replace(/[“”]/g, '"').replace(/[‘’]/g, "'");
}

export interface TornPda {
  /** Every request the app made (a call PDA dropped as a duplicate never reaches it). */
  log: GmLogEntry[];
  /** The app's toasts and scheduled notifications, in order. */
  toasts: { text: string }[];
  notifications: { title: string; subtitle?: string; id: number; timestamp: number }[];
  /** Dialogs the page opened (PDA's GM_notification is a confirm()). */
  dialogs: string[];
}

/**
 * TornPDA for a Playwright page: its injected API (pda-shim.js: PDA_httpGet/PDA_httpPost with the
 * 2-second de-duplication, its GM layer with the blocking GM_notification) and the app's handlers
 * behind flutter_inappwebview.callHandler. Inject the script with `pdaAdaptSource` first, as PDA does.
 */
export async function installTornPda(page: Page): Promise<TornPda> {
  const pda: TornPda = { log: [], toasts: [], notifications: [], dialogs: [] };
  let next = 1;
  page.on('dialog', (d) => {
    pda.dialogs.push(d.message());
    void d.dismiss().catch(() => undefined);
  });
  await page.exposeFunction('__pdaHandler', async (name: string, args: unknown[]) => {
    if (name === 'PDA_httpGet' || name === 'PDA_httpPost') {
      const [url, headers, body] = args as [string, Record<string, string>, string | undefined];
      const method = name === 'PDA_httpGet' ? 'GET' : 'POST';
      const entry: GmLogEntry = { id: next++, method, url, stream: false, startedAt: Date.now() };
      pda.log.push(entry);
      const answer = await pdaAppRequest(method, url, headers ?? {}, body);
      entry.endedAt = Date.now();
      entry.status = answer.status;
      return answer;
    }
    if (name === 'showToast') {
      pda.toasts.push(args[0] as { text: string });
      return { status: 'success', message: 'Toast shown' };
    }
    if (name === 'scheduleNotification') {
      pda.notifications.push(args[0] as TornPda['notifications'][number]);
      return { status: 'success', message: 'Notification scheduled' };
    }
    throw new Error(`no handler ${name} in this stand-in`);
  });
  await page.addInitScript({
    content: `(${PDA_SHIM})(window);
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push({ directive: e.violatedDirective, uri: e.blockedURI }));`,
  });
  return pda;
}
