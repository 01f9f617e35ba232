import { Hono } from 'hono';
import type { AppContext } from '../app-context.js';

export function healthRoutes(ctx: AppContext): Hono {
  const app = new Hono();
  app.get('/healthz', async (c) => {
    try {
      await ctx.db.query('select 1');
    } catch {
      return c.json({ ok: false, database: 'unreachable' }, 503);
    }
    return c.json({
      ok: true,
      database: ctx.db.kind,
      listening: ctx.listener.listening,
      subscribers: ctx.hub.subscriberCount(),
      shuttingDown: ctx.shuttingDown,
    });
  });
  return app;
}
