import type { HttpBindings } from '@hono/node-server';
import { Hono } from 'hono';
import type { Member } from '../../auth/sessions.js';
import { parseOps } from '../../war/call-ops.js';
import { readSnapshot } from '../../war/snapshot.js';
import type { AppContext } from '../app-context.js';
import { readJson } from '../read-json.js';
import { runMemberOps, spendAllowance } from '../member-ops.js';

/** What the auth middleware sets for the member's routes. */
export interface MemberVariables {
  member: Member;
}

type Env = { Bindings: HttpBindings; Variables: MemberVariables };

/** The member's routes: snapshot and calls. `member` is set by the auth middleware. */
export function warRoutes(ctx: AppContext): Hono<Env> {
  const app = new Hono<Env>();

  app.get('/war', async (c) => c.json(await readSnapshot(ctx.db, ctx.clock, c.get('member'), ctx.config.markPositions)));

  app.post('/calls', async (c) => {
    const ops = parseOps(await readJson(c));
    const member = c.get('member');
    // The whole batch or nothing: a refused batch writes nothing.
    await spendAllowance(ctx, member, ops.length);
    return c.json(await runMemberOps(ctx, member, ops));
  });

  return app;
}
