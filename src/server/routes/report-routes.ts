import type { HttpBindings } from '@hono/node-server';
import { Hono } from 'hono';
import { AppError } from '../../errors.js';
import { readWarReport } from '../../war/report.js';
import type { AppContext } from '../app-context.js';
import type { MemberVariables } from './war-routes.js';

type Env = { Bindings: HttpBindings; Variables: MemberVariables };

/** `GET /wars/:id/report`: the war report, for the member's own faction's wars only. `member` is set by the auth middleware. */
export function reportRoutes(ctx: AppContext): Hono<Env> {
  const app = new Hono<Env>();

  app.get('/wars/:id/report', async (c) => {
    const raw = c.req.param('id');
    if (!/^\d{1,10}$/.test(raw) || Number(raw) < 1 || Number(raw) > 2_147_483_647) {
      throw new AppError(
        'invalid_request',
        `The war id must be a Torn ranked war id (a positive integer), got ${JSON.stringify(raw.slice(0, 30))}`,
      );
    }
    const member = c.get('member');
    const report = await readWarReport(ctx.db, member.factionId, Number(raw));
    // Another faction's war is answered as one that does not exist: it says nothing about it.
    if (!report) throw new AppError('not_found', `Your faction has no war ${raw} (a report is only for your own faction's wars)`);
    c.header('Cache-Control', 'no-store');
    return c.json(report);
  });

  return app;
}
