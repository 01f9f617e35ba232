import { Hono } from 'hono';
import { AppError } from '../../errors.js';
import type { Member } from '../../auth/sessions.js';
import { parseOps, runCallOps } from '../../war/call-ops.js';
import { readSnapshot } from '../../war/snapshot.js';
import type { AppContext } from '../app-context.js';
import { readJson } from '../read-json.js';

/** Longest a long-poll may hold the request, in seconds. */
const MAX_WAIT_S = 30;
/** Most events one long-poll answer carries; the client asks again from the last id. */
const MAX_EVENTS = 500;

function nonNegativeInt(raw: string | undefined, name: string, def?: number): number {
  if (raw === undefined || raw === '') {
    if (def !== undefined) return def;
    throw new AppError('invalid_request', `${name} is required: the last event id you have (the snapshot's seq)`);
  }
  if (!/^\d{1,15}$/.test(raw))
    throw new AppError('invalid_request', `${name} must be a non-negative integer, got ${JSON.stringify(raw.slice(0, 30))}`);
  return Number(raw);
}

/** The member's routes: snapshot, calls, and the long-poll transport. `member` is set by the auth middleware. */
export function warRoutes(ctx: AppContext): Hono<{ Variables: { member: Member } }> {
  const app = new Hono<{ Variables: { member: Member } }>();

  app.get('/war', async (c) => c.json(await readSnapshot(ctx.db, c.get('member'))));

  app.post('/calls', async (c) => {
    const ops = parseOps(await readJson(c));
    const out = await runCallOps(
      { db: ctx.db, ttlMs: ctx.config.callTtlMs, maxActive: ctx.config.maxActiveCallsPerMember },
      c.get('member'),
      ops,
    );
    return c.json(out);
  });

  app.get('/events', async (c) => {
    const since = nonNegativeInt(c.req.query('since'), 'since');
    const wait = Math.min(nonNegativeInt(c.req.query('wait'), 'wait', 25), MAX_WAIT_S);
    if (ctx.shuttingDown) throw new AppError('shutting_down');
    const out = await ctx.hub.eventsAfter(c.get('member').factionId, since, wait * 1000, MAX_EVENTS, c.req.raw.signal);
    c.header('Cache-Control', 'no-store');
    return c.json(out);
  });

  return app;
}
