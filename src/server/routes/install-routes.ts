import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Hono, type Context } from 'hono';
import type { AppContext } from '../app-context.js';
import { clientBundle } from '../clients/client-bundle.js';
import { installPage } from '../clients/install-page.js';
import { publicOrigin } from '../clients/public-origin.js';
import { SCREENSHOTS, isScreenshot, screenshot } from '../clients/screenshots.js';
import { AppError } from '../../errors.js';

/** This server's public origin as the request reached it (the same rule as the served userscripts). */
function requestOrigin(ctx: AppContext, c: Context): string {
  const socket = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming?.socket;
  const local = socket?.localAddress
    ? `${socket.localAddress.includes(':') ? `[${socket.localAddress}]` : socket.localAddress}:${socket.localPort}`
    : undefined;
  const { publicUrl, trustProxy } = ctx.config;
  return publicOrigin(c.req.url, c.req.raw.headers, { publicUrl, trustProxy, fallbackHost: local });
}

function answer(c: Context, text: string | Uint8Array<ArrayBuffer>, type: string, extra: Record<string, string> = {}): Response {
  const etag = `"${createHash('sha256').update(text).digest('base64url').slice(0, 27)}"`;
  const headers = { 'Content-Type': type, 'Cache-Control': 'no-cache', ETag: etag, 'X-Content-Type-Options': 'nosniff', ...extra };
  if (c.req.header('if-none-match') === etag) return c.body(null, 304, headers);
  return c.body(text, 200, headers);
}

/** `GET /install` (the install page) and `GET /EdgeFunctionCache.js` (the standalone cache, for @require). */
export function installRoutes(ctx: AppContext): Hono {
  const app = new Hono();
  app.get('/install', (c) => {
    const { publicUrl, trustProxy } = ctx.config;
    return answer(c, installPage(requestOrigin(ctx, c)), 'text/html; charset=utf-8', {
      // No script at all; inline styles only, and the screenshots from this server.
      'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; base-uri 'none'; form-action 'none'",
      'Referrer-Policy': 'no-referrer',
      ...(publicUrl ? {} : { Vary: trustProxy ? 'Host, X-Forwarded-Host, X-Forwarded-Proto' : 'Host' }),
    });
  });
  app.get('/install/:file', async (c) => {
    const name = c.req.param('file').replace(/\.png$/, '');
    const png = isScreenshot(name) && c.req.param('file').endsWith('.png') ? await screenshot(name) : null;
    if (!png) throw new AppError('not_found', `No picture ${c.req.path}: the install page shows ${Object.values(SCREENSHOTS).map((s) => s.file).join(' and ')}`);
    return answer(c, png, 'image/png');
  });
  app.get('/EdgeFunctionCache.js', async (c) =>
    answer(c, await clientBundle('edge-function-cache'), 'text/javascript; charset=utf-8', { 'Access-Control-Allow-Origin': '*' }),
  );
  return app;
}
