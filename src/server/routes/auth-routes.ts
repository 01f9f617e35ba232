import type { HttpBindings } from '@hono/node-server';
import { Hono, type Context } from 'hono';
import { signIn } from '../../auth/sign-in.js';
import { signOut } from '../../auth/sign-out.js';
import { AppError } from '../../errors.js';
import type { SignOutResponse } from '../../protocol/auth.js';
import type { AppContext } from '../app-context.js';
import { tokenFrom } from '../authenticate.js';
import { readJson } from '../read-json.js';
import { clientAddress } from '../client-address.js';

export function authRoutes(ctx: AppContext): Hono<{ Bindings: HttpBindings }> {
  const app = new Hono<{ Bindings: HttpBindings }>();

  app.post('/', async (c) => {
    // Every attempt counts, before anything reaches Torn: Torn bans addresses that send it bad keys.
    ctx.limits.signIn.take(clientAddress(c.env.incoming, ctx.config.trustProxy));
    const body = await readJson(c);
    if (typeof body !== 'object' || body === null || !('apiKey' in body)) {
      throw new AppError('invalid_request', 'The body must be {"apiKey":"<your 16-character Torn API key>"}');
    }
    const result = await signIn(
      {
        db: ctx.db,
        torn: ctx.torn,
        vault: ctx.vault,
        sessionTtlMs: ctx.config.sessionTtlMs,
        rejectedKeys: ctx.limits.rejectedKeys,
        unknownKeyChecks: ctx.limits.unknownKeyChecks,
      },
      body.apiKey,
    );
    ctx.sync.poke(result.faction.id);
    ctx.log.info({ playerId: result.player.id, factionId: result.faction.id }, 'member signed in');
    return c.json(result);
  });

  const signOutRoute = async (c: Context) => {
    const token = tokenFrom(c.req.header('authorization'), undefined);
    const out = token ? await signOut(ctx.db, token) : null;
    if (!out) throw new AppError('unauthorized', 'Unknown or expired token');
    return c.json({ ok: true, keyStored: out.keyStored } satisfies SignOutResponse);
  };
  app.delete('/', signOutRoute);
  // TornPDA's userscript requests are GET and POST only.
  app.post('/sign-out', signOutRoute);

  return app;
}
