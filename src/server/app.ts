import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { AppError } from '../errors.js';
import type { Member } from '../auth/sessions.js';
import type { AppContext } from './app-context.js';
import { authenticate, tokenFrom } from './authenticate.js';
import { errorResponse } from './error-response.js';
import { MAX_BODY_BYTES } from './read-json.js';
import { authRoutes } from './routes/auth-routes.js';
import { healthRoutes } from './routes/health-routes.js';
import { metricsRoutes } from './routes/metrics-routes.js';
import { warRoutes } from './routes/war-routes.js';
import { dashboardRoutes } from '../dashboard/dashboard-routes.js';
import { userscriptRoutes } from '../userscript/userscript-routes.js';

/** The HTTP API (everything but the SSE and WebSocket streams, which the node server routes itself). */
export function createApp(ctx: AppContext): Hono {
  const app = new Hono<{ Variables: { member: Member } }>();

  app.onError((e, c) => {
    const { status, body } = errorResponse(e, ctx.log);
    // The rest of an oversized body was never read: the connection cannot carry another request.
    if (e instanceof AppError && e.code === 'body_too_large') c.header('Connection', 'close');
    return c.json(body, status as 400);
  });
  app.notFound((c) => c.json({ error: { code: 'not_found', message: `No route ${c.req.method} ${c.req.path}` } }, 404));

  const allowed = ctx.config.allowedOrigins;
  app.use(
    '/api/*',
    cors({
      origin: (origin) => (allowed.includes('*') || allowed.includes(origin) ? origin : null),
      allowHeaders: ['Authorization', 'Content-Type'],
      allowMethods: ['GET', 'POST', 'DELETE'],
      maxAge: 600,
    }),
  );
  app.use(
    '/api/*',
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: () => {
        throw new AppError('body_too_large', `The request body is larger than ${MAX_BODY_BYTES / 1024} KiB`);
      },
    }),
  );

  app.route('/', healthRoutes(ctx));
  app.route('/', metricsRoutes(ctx));
  app.route('/', dashboardRoutes(ctx));
  app.route('/', userscriptRoutes(ctx));
  app.route('/api/auth', authRoutes(ctx));

  app.use('/api/*', async (c, next) => {
    c.set('member', await authenticate(ctx, tokenFrom(c.req.header('authorization'), c.req.query('token'))));
    await next();
  });
  app.route('/api', warRoutes(ctx));
  return app as unknown as Hono;
}
