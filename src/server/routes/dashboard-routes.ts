import { createHash } from 'node:crypto';
import { Hono } from 'hono';
import type { AppContext } from '../app-context.js';
import { clientBundle } from '../browser-files/client-bundle.js';
import { dashboardPage } from '../browser-files/dashboard-page.js';

/** `GET /`: the live war board, one self-contained page (its script talks to this same origin). */
export function dashboardRoutes(_ctx: AppContext): Hono {
  const app = new Hono();
  let page: Promise<{ html: string; csp: string; etag: string }> | undefined;
  const build = () =>
    (page ??= clientBundle('dashboard').then((js) => {
      const { html, csp } = dashboardPage(js);
      return { html, csp, etag: `"${createHash('sha256').update(html).digest('base64url').slice(0, 27)}"` };
    })).catch((e) => {
      page = undefined;
      throw e;
    });

  app.get('/', async (c) => {
    const { html, csp, etag } = await build();
    const headers = {
      'Content-Type': 'text/html; charset=utf-8',
      // Small and changes with each release: revalidate every time (a 304 most of the time).
      'Cache-Control': 'no-cache',
      ETag: etag,
      'Content-Security-Policy': csp,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
    };
    if (c.req.header('if-none-match') === etag) return c.body(null, 304, headers);
    return c.body(html, 200, headers);
  });
  return app;
}
