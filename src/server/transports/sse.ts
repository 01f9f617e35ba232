import type { IncomingMessage, ServerResponse } from 'node:http';
import { AppError } from '../../errors.js';
import type { AppContext } from '../app-context.js';
import { tokenFrom } from '../authenticate.js';
import { clientAddress } from '../client-address.js';
import { originAllowed } from '../allowed-origin.js';
import { errorResponse } from '../error-response.js';
import { httpChunk } from '../../realtime/outbound-event.js';
import { SseSubscriber } from './subscribers.js';
import { parseResumePoint } from '../../realtime/resume-point.js';
import { MemberStream } from './member-stream.js';

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
  let stream: MemberStream;
  let from: number | undefined;
  try {
    if (req.method !== 'GET') throw new AppError('not_found', `No route ${req.method} /events`);
    // Whatever ends the stream destroys the response; its 'close' (below) lets go of the rest.
    stream = await MemberStream.open(ctx, {
      token: tokenFrom(req.headers.authorization, url.searchParams.get('token')),
      ip: clientAddress(req, ctx.config.trustProxy),
      onEnd: () => res.destroy(),
    });
  } catch (e) {
    return refuse(ctx, res, e);
  }
  try {
    from = parseResumePoint(firstHeader(req.headers['last-event-id']) ?? url.searchParams.get('lastEventId'));
  } catch (e) {
    stream.close();
    return refuse(ctx, res, e);
  }
  const { member } = stream;

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
  const sub = new SseSubscriber(member.factionId, res, (unsent) => {
    if (unsent !== undefined) {
      ctx.log.warn({ playerId: member.playerId, unsent }, 'SSE client too slow: disconnecting it');
      ctx.metrics.realtime.cutUnsent('sse');
    }
    res.destroy();
  });
  const stopBeat = ctx.heartbeat.add(() => sub.send(HEARTBEAT, HEARTBEAT_CHUNK));
  const close = () => {
    sub.open = false;
    stopBeat();
    stream.close();
    res.destroy();
  };
  // A GET with a body (a hostile or confused client) would leave it unread: drop it, so the
  // client's going is seen at once. Not req's 'close': that fires once the request is read.
  // The response's 'close' is the connection's end.
  req.resume();
  res.on('close', close);
  res.on('error', close);
  if (res.destroyed) return close();
  try {
    await stream.subscribe(sub, from);
  } catch (e) {
    ctx.log.warn({ err: e }, 'could not start an SSE stream');
    close();
  }
}

function refuse(ctx: AppContext, res: ServerResponse, e: unknown): void {
  const { status, headers, body } = errorResponse(e, ctx.log);
  if (!res.headersSent && !res.destroyed)
    res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
}
