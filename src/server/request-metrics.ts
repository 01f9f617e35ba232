import type { Context, MiddlewareHandler } from 'hono';
import { matchedRoutes, routePath } from 'hono/route';
import type { Logger } from 'pino';
import type { HttpMetrics } from '../metrics/index.js';

/** Routes that hold a request open until events arrive (long-poll): counted, not timed. */
const HELD_OPEN = new Set(['GET /api/events']);

/**
 * The pattern of the route that answered, never the path: paths can carry ids and tokens, and every
 * distinct path would become a metric series. The handler's pattern when one matched (even if a
 * middleware refused the request first, say with 401); otherwise the pattern of the last middleware
 * the request passed (`/api/*` for CORS preflights and unknown API paths, `/*` for any other path).
 */
function routeOf(c: Context): string {
  const handler = matchedRoutes(c)
    .filter((r) => r.method !== 'ALL')
    .at(-1);
  return handler?.path ?? (routePath(c) || '/*');
}

/** Times every request the HTTP app answers and logs it at debug (method, route pattern, status, time). */
export function requestMetrics(http: HttpMetrics, log: Logger): MiddlewareHandler {
  return async (c, next) => {
    const started = performance.now();
    try {
      await next();
    } finally {
      const seconds = (performance.now() - started) / 1000;
      const route = routeOf(c);
      const status = c.res.status;
      http.observe({ method: c.req.method, route, status, seconds, heldOpen: HELD_OPEN.has(`${c.req.method} ${route}`) });
      log.debug({ method: c.req.method, route, status, ms: Math.round(seconds * 1000) }, 'request answered');
    }
  };
}
