import { createHash, timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import { AppError } from '../../errors.js';
import type { AppContext } from '../app-context.js';

// Both sides hashed first: equal lengths for timingSafeEqual, and the time taken says nothing about the token's length.
const sha256 = (s: string) => createHash('sha256').update(s).digest();

/** `GET /metrics`: this node's Prometheus text exposition; behind `Authorization: Bearer <TORNCAT_METRICS_TOKEN>` when that is set. */
export function metricsRoutes(ctx: AppContext): Hono {
  const app = new Hono();
  const expected = ctx.config.metricsToken === undefined ? undefined : sha256(ctx.config.metricsToken);
  app.get('/metrics', async (c) => {
    if (expected) {
      const given = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
      if (given === undefined || !timingSafeEqual(sha256(given), expected)) {
        c.header('WWW-Authenticate', 'Bearer realm="metrics"');
        throw new AppError('unauthorized', 'GET /metrics needs Authorization: Bearer <TORNCAT_METRICS_TOKEN>');
      }
    }
    const body = await ctx.metrics.text();
    return c.body(body, 200, { 'content-type': ctx.metrics.contentType, 'cache-control': 'no-store' });
  });
  return app;
}
