import { request, type IncomingMessage } from 'node:http';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { serveTornOrigin, type TornOrigin } from './torn-origin.js';

const MANAGER_SHIM = readFileSync(new URL('./manager-shim.js', import.meta.url), 'utf8');

/**
 * torn.com's kind of policy: connections (EventSource, fetch, WebSocket) to its own origin only.
 * Inline styles stay allowed, as the site itself uses them (the panel's stylesheet needs that).
 */
export const TORN_CSP =
  "default-src 'self'; script-src 'self' 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'";

const PAGE = (title: string) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head>
<body><div id="header">TORN</div><main><h1>${title}</h1><p>Faction war page stand-in.</p></main></body></html>`;

/**
 * A stand-in for torn.com on loopback: `/torn` with a strict CSP that blocks connections to the
 * TornCat server, `/relaxed` with none. Served as http://localhost:<port> while TornCat is on
 * 127.0.0.1, so every request to TornCat is cross-origin, as on torn.com.
 */
export function startTornPage(): Promise<TornOrigin> {
  return serveTornOrigin((req, res) => {
    if (req.url?.startsWith('/torn')) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': TORN_CSP });
      res.end(PAGE('Torn (strict CSP)'));
    } else if (req.url?.startsWith('/relaxed')) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(PAGE('Relaxed page'));
    } else {
      res.writeHead(404).end();
    }
  });
}

export interface GmLogEntry {
  id: number;
  method: string;
  url: string;
  stream: boolean;
  startedAt: number;
  endedAt?: number;
  aborted?: boolean;
  status?: number;
}

/**
 * A userscript manager for a Playwright page: GM_xmlhttpRequest, GM_getValue/GM_setValue/GM_deleteValue
 * (kept per tab in sessionStorage, so that each test page starts signed out).
 * Requests really go through Node (node:http) to the server, out of the page's CSP, as the
 * manager's do. `responseType: "stream"` gets a ReadableStream fed chunk by chunk (Tampermonkey's
 * way) unless `streaming: false`, which delivers the whole answer at its end (managers that buffer).
 * GM_notification records each notification in `window.__gmNotifications`; `notifications: false`
 * leaves it out, as a manager that does not grant it.
 */
export async function installUserscriptManager(
  page: Page,
  options: { streaming?: boolean; refuse?: (url: string) => boolean; notifications?: boolean } = {},
): Promise<{ log: GmLogEntry[]; cut(match: (url: string) => boolean): void }> {
  const streaming = options.streaming ?? true;
  const log: GmLogEntry[] = [];
  const live = new Map<number, () => void>();
  const urls = new Map<number, string>();
  const send = (id: number, type: string, payload: unknown) =>
    page.evaluate(([i, t, p]) => (window as any).__gmEvent?.(i, t, p), [id, type, payload] as const).catch(() => {});

  await page.exposeBinding(
    '__gmSend',
    (_src, id: number, d: { method: string; url: string; headers?: Record<string, string>; data?: string; stream: boolean }) => {
      const entry: GmLogEntry = { id, method: d.method, url: d.url, stream: d.stream, startedAt: Date.now() };
      log.push(entry);
      if (options.refuse?.(d.url)) {
        entry.endedAt = Date.now();
        void send(id, 'error', 'refused by the test');
        return;
      }
      const req = request(d.url, { method: d.method, headers: d.headers }, (res: IncomingMessage) => {
        entry.status = res.statusCode;
        res.setEncoding('utf8');
        let whole = '';
        // Ordered delivery: each page.evaluate waits for the previous one.
        let chain = Promise.resolve();
        const push = (type: string, payload: unknown) => (chain = chain.then(() => send(id, type, payload)));
        if (d.stream && streaming) push('headers', { status: res.statusCode });
        res.on('data', (chunk: string) => {
          if (d.stream && streaming) push('chunk', chunk);
          else whole += chunk;
        });
        res.on('end', () => {
          entry.endedAt = Date.now();
          live.delete(id);
          push('load', { status: res.statusCode, text: whole });
        });
        res.on('error', () => undefined);
      });
      req.on('error', (e) => {
        entry.endedAt ??= Date.now();
        live.delete(id);
        if (!entry.aborted) void send(id, 'error', String(e));
      });
      urls.set(id, d.url);
      live.set(id, () => {
        entry.aborted = true;
        entry.endedAt = Date.now();
        req.destroy();
      });
      if (d.data !== undefined) req.write(d.data);
      req.end();
    },
  );
  await page.exposeBinding('__gmAbort', (_src, id: number) => {
    live.get(id)?.();
    live.delete(id);
  });

  if (options.notifications === false) await page.addInitScript({ content: 'window.__gmNoNotification = true;' });
  await page.addInitScript({ content: MANAGER_SHIM });
  return {
    log,
    // Drops the requests in flight whose URL matches, as a server or proxy killing its streams would.
    cut(match) {
      for (const [id, url] of urls) {
        if (!match(url) || !live.has(id)) continue;
        live.get(id)?.();
        live.delete(id);
        void send(id, 'error', 'cut by the test');
      }
    },
  };
}

/** Injects a served userscript at document start, as a manager does (not subject to the page's CSP). */
export async function installUserscript(page: Page, source: string): Promise<void> {
  await page.addInitScript({ content: source });
}
