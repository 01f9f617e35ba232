import { Hono } from 'hono';
import { databaseUnavailable, isDatabaseUnavailable } from '../../db/unavailable.js';
import { AppError, toError } from '../../errors.js';
import type { AppContext } from '../app-context.js';

/**
 * Longest /healthz waits for the database. Health checkers give up after a few seconds, and with
 * the network to the database cut a query would wait out the pool's whole connection timeout.
 */
const HEALTH_PROBE_TIMEOUT_MS = 3000;

/** One round trip to the database, within HEALTH_PROBE_TIMEOUT_MS: undefined when it answered, else why not. */
async function probeDatabase(ctx: AppContext): Promise<Error | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<Error>((resolve) => {
    timer = setTimeout(
      () => resolve(databaseUnavailable(new Error(`no answer within ${HEALTH_PROBE_TIMEOUT_MS} ms`))),
      HEALTH_PROBE_TIMEOUT_MS,
    );
  });
  try {
    return await Promise.race([ctx.db.query('select 1').then(() => undefined, toError), late]);
  } finally {
    clearTimeout(timer);
  }
}

export function healthRoutes(ctx: AppContext): Hono {
  const app = new Hono();
  app.get('/healthz', async (c) => {
    const failure = await probeDatabase(ctx);
    const state = {
      database: ctx.db.kind,
      databaseState: failure ? 'unavailable' : 'up',
      listening: ctx.listener.listening,
      subscribers: ctx.hub.subscriberCount(),
      shuttingDown: ctx.shuttingDown,
    };
    if (!failure) return c.json({ ok: true, ...state });
    // An outage is logged where connections are lost; anything else failing `select 1` is news.
    if (!isDatabaseUnavailable(failure)) {
      ctx.log.warn({ err: failure }, 'health check: the database failed a trivial query');
    }
    const e = new AppError('database_unavailable');
    c.header('Retry-After', '5');
    c.header('Cache-Control', 'no-store');
    return c.json({ ok: false, ...state, error: { code: e.code, message: e.message } }, 503);
  });
  return app;
}
