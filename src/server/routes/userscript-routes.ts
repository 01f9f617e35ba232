import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Hono } from 'hono';
import type { AppContext } from '../app-context.js';
import { publicOrigin } from '../browser-files/public-origin.js';
import { ScriptVersions } from '../browser-files/script-versions.js';
import { USERSCRIPT_FILES, userscriptSource, type UserscriptBuild } from '../browser-files/userscript-source.js';

/** `GET /torn-war-caller-sse.user.js` and `GET /torn-war-caller.user.js`, with this server's URL filled in. */
export function userscriptRoutes(ctx: AppContext): Hono {
  const app = new Hono();
  const versions = new ScriptVersions(ctx.db);
  const serialOf = (digest: string) => versions.serialOf(digest);
  for (const build of Object.keys(USERSCRIPT_FILES) as UserscriptBuild[]) {
    app.get(`/${USERSCRIPT_FILES[build]}`, async (c) => {
      const socket = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming?.socket;
      const local = socket?.localAddress
        ? `${socket.localAddress.includes(':') ? `[${socket.localAddress}]` : socket.localAddress}:${socket.localPort}`
        : undefined;
      const { publicUrl, trustProxy } = ctx.config;
      const origin = publicOrigin(c.req.url, c.req.raw.headers, { publicUrl, trustProxy, fallbackHost: local });
      const text = await userscriptSource(build, origin, ctx.config, serialOf);
      const etag = `"${createHash('sha256').update(text).digest('base64url').slice(0, 27)}"`;
      const headers = {
        'Content-Type': 'text/javascript; charset=utf-8',
        // Managers check for updates now and then: always revalidate, usually a 304.
        'Cache-Control': 'no-cache',
        ETag: etag,
        // Caches must key the script on exactly the headers that can change its URL.
        ...(publicUrl ? {} : { Vary: trustProxy ? 'Host, X-Forwarded-Host, X-Forwarded-Proto' : 'Host' }),
        'X-Content-Type-Options': 'nosniff',
      };
      if (c.req.header('if-none-match') === etag) return c.body(null, 304, headers);
      return c.body(text, 200, headers);
    });
  }
  return app;
}
