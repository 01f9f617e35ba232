import type { HttpBindings } from '@hono/node-server';
import { Hono, type Context } from 'hono';
import { resolveSession } from '../../auth/sessions.js';
import { forgetMember } from '../../auth/sign-out.js';
import { AppError } from '../../errors.js';
import type { ForgetKeyResponse } from '../../protocol/auth.js';
import type { AppContext } from '../app-context.js';
import { tokenFrom } from '../authenticate.js';

/** `/api/keys`: a member's stored Torn keys. */
export function keyRoutes(ctx: AppContext): Hono<{ Bindings: HttpBindings }> {
  const app = new Hono<{ Bindings: HttpBindings }>();

  // Only the session is checked, not the key: a member whose key Torn disabled (and who would be
  // answered `key_disabled` once elsewhere) can still have it forgotten at the first try.
  const forgetRoute = async (c: Context) => {
    const token = tokenFrom(c.req.header('authorization'), undefined);
    const session = token ? await resolveSession(ctx.db, token, ctx.config.sessionTtlMs) : null;
    if (!session) throw new AppError('unauthorized', 'Unknown or expired token: sign in again with POST /api/auth');
    const { playerId, factionId } = session.member;
    const out = await forgetMember(ctx.db, playerId);
    ctx.log.info({ playerId, factionId, ...out }, 'member forgot their key');
    return c.json({ ok: true, ...out } satisfies ForgetKeyResponse);
  };
  app.delete('/me', forgetRoute);
  // TornPDA's userscript requests are GET and POST only.
  app.post('/me/forget', forgetRoute);

  return app;
}
