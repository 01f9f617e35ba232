import type { HttpBindings } from '@hono/node-server';
import { Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { AppError } from '../errors.js';
import type { AppContext } from './app-context.js';
import { authenticateCaller, tokenFrom } from './authenticate.js';
import { clientGone, errorResponse } from './error-response.js';
import { originAllowed } from './allowed-origin.js';
import { requestMetrics } from './request-metrics.js';
import { MAX_BODY_BYTES } from './read-json.js';
import { authRoutes } from './routes/auth-routes.js';
import { keyRoutes } from './routes/key-routes.js';
import { healthRoutes } from './routes/health-routes.js';
import { metricsRoutes } from './routes/metrics-routes.js';
import { warRoutes, type MemberVariables } from './routes/war-routes.js';
import { reportRoutes } from './routes/report-routes.js';
import { discordRoutes } from './routes/discord-routes.js';
import { dashboardRoutes } from './routes/dashboard-routes.js';
import { userscriptRoutes } from './routes/userscript-routes.js';
import { installRoutes } from './routes/install-routes.js';

/** The HTTP API (everything but the SSE and WebSocket streams, which the node server routes itself). */
export function createApp(ctx: AppContext): Hono {
  const app = new Hono<{ Bindings: HttpBindings; Variables: MemberVariables }>();

  app.onError((e, c) => {
    const { status, headers, body } = errorResponse(e, ctx.log, { clientGone: clientGone(c.env?.incoming, c.req.raw.signal) });
    // The rest of an oversized body was never read: the connection cannot carry another request.
    if (e instanceof AppError && e.code === 'body_too_large') c.header('Connection', 'close');
    for (const [k, v] of Object.entries(headers)) c.header(k, v);
    return c.json(body, status as 400);
  });
  app.notFound((c) => c.json({ error: { code: 'not_found', message: `No route ${c.req.method} ${c.req.path}` } }, 404));

  // First, so it times every answer, refusals by the middlewares below included.
  app.use('*', requestMetrics(ctx.metrics.http, ctx.log));

  const allowed = ctx.config.allowedOrigins;
  app.use(
    '/api/*',
    cors({
      origin: (origin) => (originAllowed(origin, allowed) ? origin : null),
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
  app.route('/', installRoutes(ctx));
  app.route('/api/auth', authRoutes(ctx));
  app.route('/api/keys', keyRoutes(ctx));

  const signedIn: MiddlewareHandler<{ Variables: MemberVariables }> = async (c, next) => {
    // Only the header: a token in a URL ends up in proxy logs and browser history. /events and /ws
    // alone take ?token=, because EventSource and browser WebSockets cannot set headers.
    const caller = await authenticateCaller(ctx, tokenFrom(c.req.header('authorization'), undefined));
    c.set('member', caller.member);
    c.set('digest', caller.digest);
    await next();
  };
  app.use('/api/*', signedIn);
  app.use('/wars/*', signedIn);
  app.route('/api', warRoutes(ctx));
  app.route('/api', reportRoutes(ctx));
  app.route('/api', discordRoutes(ctx));
  app.route('/', reportRoutes(ctx));
  return app as unknown as Hono;
}
