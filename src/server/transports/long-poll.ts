import type { HttpBindings } from '@hono/node-server';
import { Hono } from 'hono';
import { AppError } from '../../errors.js';
import type { AppContext } from '../app-context.js';
import { tokenFrom } from '../authenticate.js';
import { clientAddress } from '../client-address.js';
import { MemberStream, sessionEnded } from './member-stream.js';

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

/**
 * GET /api/events: the long-poll transport. A waiting long-poll is an open stream like SSE's and
 * the WebSocket's: capped, and ended when its session ends. It checks its own token (only the
 * `Authorization` header, as every /api route), so it is mounted before the member routes' check.
 */
export function longPollRoutes(ctx: AppContext): Hono<{ Bindings: HttpBindings }> {
  const app = new Hono<{ Bindings: HttpBindings }>();

  app.get('/events', async (c) => {
    const stop = new AbortController();
    const stream = await MemberStream.open(ctx, {
      token: tokenFrom(c.req.header('authorization'), undefined),
      ip: clientAddress(c.env.incoming, ctx.config.trustProxy),
      onEnd: () => stop.abort(),
    });
    const onClientGone = () => stop.abort();
    c.req.raw.signal.addEventListener('abort', onClientGone);
    try {
      const since = nonNegativeInt(c.req.query('since'), 'since');
      const wait = Math.min(nonNegativeInt(c.req.query('wait'), 'wait', 25), MAX_WAIT_S);
      const { factionId } = stream.member;
      const out = await ctx.hub.eventsAfter(factionId, since, wait * 1000, MAX_EVENTS, stop.signal);
      if (stream.endReason === 'revoked') throw sessionEnded();
      c.header('Cache-Control', 'no-store');
      return c.json(out);
    } finally {
      c.req.raw.signal.removeEventListener('abort', onClientGone);
      stream.close();
    }
  });

  return app;
}
