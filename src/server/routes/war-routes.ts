import type { HttpBindings } from '@hono/node-server';
import { Hono } from 'hono';
import { AppError } from '../../errors.js';
import type { Member } from '../../auth/sessions.js';
import { parseOps, runCallOps } from '../../war/call-ops.js';
import { readSnapshot } from '../../war/snapshot.js';
import type { AppContext } from '../app-context.js';
import { readJson } from '../read-json.js';
import { callOpsOptions } from '../call-ops-options.js';
import { clientAddress } from '../client-address.js';

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

/** What the auth middleware sets for the member's routes. */
export interface MemberVariables {
  member: Member;
  /** Hex SHA-256 of the session token. */
  digest: string;
}

type Env = { Bindings: HttpBindings; Variables: MemberVariables };

/** The member's routes: snapshot, calls, and the long-poll transport. `member` is set by the auth middleware. */
export function warRoutes(ctx: AppContext): Hono<Env> {
  const app = new Hono<Env>();

  app.get('/war', async (c) => c.json(await readSnapshot(ctx.db, c.get('member'), ctx.config.markPositions)));

  app.post('/calls', async (c) => {
    const ops = parseOps(await readJson(c));
    // The whole batch or nothing: a refused batch writes nothing.
    ctx.limits.callOps.take(String(c.get('member').playerId), ops.length);
    const out = await runCallOps(callOpsOptions(ctx), c.get('member'), ops);
    return c.json(out);
  });

  app.get('/events', async (c) => {
    const since = nonNegativeInt(c.req.query('since'), 'since');
    const wait = Math.min(nonNegativeInt(c.req.query('wait'), 'wait', 25), MAX_WAIT_S);
    if (ctx.shuttingDown) throw new AppError('shutting_down');
    const member = c.get('member');
    // A waiting long-poll is an open stream like any other: capped, and ended when its session ends.
    const stop = new AbortController();
    let revoked = false;
    const release = ctx.streams.open({
      digest: c.get('digest'),
      playerId: member.playerId,
      ip: clientAddress(c.env.incoming, ctx.config.trustProxy),
      end(reason) {
        revoked = reason === 'revoked';
        stop.abort();
      },
    });
    const onClientGone = () => stop.abort();
    c.req.raw.signal.addEventListener('abort', onClientGone);
    try {
      const out = await ctx.hub.eventsAfter(member.factionId, since, wait * 1000, MAX_EVENTS, stop.signal);
      if (revoked) throw new AppError('unauthorized', 'Your session ended (signed out, left the faction, or key removed): sign in again');
      c.header('Cache-Control', 'no-store');
      return c.json(out);
    } finally {
      c.req.raw.signal.removeEventListener('abort', onClientGone);
      release();
    }
  });

  return app;
}
