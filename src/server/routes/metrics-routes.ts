import { Hono } from 'hono';
import type { AppContext } from '../app-context.js';

/** `GET /metrics`: this node's Prometheus text exposition. */
export function metricsRoutes(ctx: AppContext): Hono {
  const app = new Hono();
  app.get('/metrics', async (c) => {
    const body = await ctx.metrics.text();
    return c.body(body, 200, { 'content-type': ctx.metrics.contentType, 'cache-control': 'no-store' });
  });
  return app;
}
