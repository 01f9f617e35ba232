import type { IncomingMessage, ServerResponse } from 'node:http';
import { AppError } from '../../errors.js';
import type { AppContext } from '../app-context.js';
import { authenticateCaller, tokenFrom, type Caller } from '../authenticate.js';
import { clientAddress } from '../client-address.js';
import { originAllowed } from '../allowed-origin.js';
import { errorResponse } from '../error-response.js';
import { httpChunk } from '../../realtime/outbound-event.js';
import { SseSubscriber } from './subscribers.js';
import { parseResumePoint } from '../../realtime/resume-point.js';

/** How long browsers wait before reconnecting (EventSource's `retry:`). */
const RETRY_MS = 3000;
const HEARTBEAT = Buffer.from(':\n\n');
const HEARTBEAT_CHUNK = httpChunk(HEARTBEAT);
const PREAMBLE = Buffer.from(`retry: ${RETRY_MS}\n\n`);

function firstHeader(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

/**
 * GET /events: the Server-Sent Events stream of the member's faction. The node server routes it
 * here itself (not through Hono) so that every subscriber is written the same Buffer, and so that
 * the socket's buffered amount bounds what a slow client may cost.
 */
export async function handleSse(ctx: AppContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  let caller: Caller;
  let from: number | undefined;
  let release: () => void;
  let open = true;
  let detach: (() => void) | undefined;
  // Set once the stream is live; `close` may run before (a revocation while we authenticate).
  // eslint-disable-next-line prefer-const
  let sub: SseSubscriber | undefined;
  // eslint-disable-next-line prefer-const
  let stopBeat: (() => void) | undefined;
  const close = () => {
    if (!open) return;
    open = false;
    if (sub) sub.open = false;
    stopBeat?.();
    detach?.();
    release?.();
    res.destroy();
  };
  try {
    if (req.method !== 'GET') throw new AppError('not_found', `No route ${req.method} /events`);
    if (ctx.shuttingDown) throw new AppError('shutting_down');
    caller = await authenticateCaller(ctx, tokenFrom(req.headers.authorization, url.searchParams.get('token')));
    from = parseResumePoint(firstHeader(req.headers['last-event-id']) ?? url.searchParams.get('lastEventId'));
    release = ctx.streams.open({
      digest: caller.digest,
      playerId: caller.member.playerId,
      ip: clientAddress(req, ctx.config.trustProxy),
      end: close,
    });
  } catch (e) {
    const { status, headers, body } = errorResponse(e, ctx.log);
    if (!res.headersSent && !res.destroyed)
      res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
    return;
  }
  const { member } = caller;

  const origin = req.headers.origin;
  res.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-cache, no-transform',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
    ...(origin && originAllowed(origin, ctx.config.allowedOrigins) ? { 'Access-Control-Allow-Origin': origin, Vary: 'Origin' } : {}),
  });
  res.socket?.setNoDelay(true);
  res.write(PREAMBLE);
  // The headers and the preamble went through `res`: they are on the socket before any event.
  const live = new SseSubscriber(member.factionId, res, (unsent) => {
    if (unsent !== undefined) {
      ctx.log.warn({ playerId: member.playerId, unsent }, 'SSE client too slow: disconnecting it');
      ctx.metrics.realtime.cutUnsent('sse');
    }
    close();
  });
  sub = live;
  stopBeat = ctx.heartbeat.add(() => live.send(HEARTBEAT, HEARTBEAT_CHUNK));
  // A GET with a body (a hostile or confused client) would leave it unread: drop it, so the
  // client's going is seen at once. Not req's 'close': that fires once the request is read.
  // The response's 'close' is the connection's end.
  req.resume();
  res.on('close', close);
  res.on('error', close);
  try {
    const d = await ctx.hub.subscribe(live, from);
    if (open) detach = d;
    else d();
  } catch (e) {
    ctx.log.warn({ err: e }, 'could not start an SSE stream');
    close();
  }
}
