import type { IncomingMessage, ServerResponse } from 'node:http';
import { AppError } from '../errors.js';
import type { AppContext } from '../server/app-context.js';
import { authenticate, tokenFrom } from '../server/authenticate.js';
import { errorResponse } from '../server/error-response.js';
import type { Subscriber } from './hub.js';
import type { OutboundEvent } from './outbound-event.js';
import { parseResumePoint } from './resume-point.js';

/**
 * A client whose unsent output passes this is cut; it resumes from its last id. The hub stops
 * pushing well before (HubOptions.lagBytes) and cuts clients that stop reading, so this is the
 * last line, not the usual one.
 */
export const MAX_UNSENT_BYTES = 1 << 20;
/** How long browsers wait before reconnecting (EventSource's `retry:`). */
const RETRY_MS = 3000;
const HEARTBEAT = Buffer.from(':\n\n');
const PREAMBLE = Buffer.from(`retry: ${RETRY_MS}\n\n`);

function firstHeader(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

/**
 * GET /events: the Server-Sent Events stream of the member's faction. The node server routes it
 * here itself (not through Hono) so that every subscriber is written the same Buffer, and so that
 * the socket's buffered amount bounds what a slow client may cost.
 */
export async function handleSse(ctx: AppContext, req: IncomingMessage, res: ServerResponse, streams: Set<() => void>): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  let member;
  let from: number | undefined;
  try {
    if (req.method !== 'GET') throw new AppError('not_found', `No route ${req.method} /events`);
    if (ctx.shuttingDown) throw new AppError('shutting_down');
    member = await authenticate(ctx, tokenFrom(req.headers.authorization, url.searchParams.get('token')));
    from = parseResumePoint(firstHeader(req.headers['last-event-id']) ?? url.searchParams.get('lastEventId'));
  } catch (e) {
    const { status, body } = errorResponse(e, ctx.log);
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    return;
  }

  const origin = req.headers.origin;
  const allowed = ctx.config.allowedOrigins;
  res.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-cache, no-transform',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
    ...(origin && (allowed.includes(origin) || allowed.includes('*')) ? { 'Access-Control-Allow-Origin': origin, Vary: 'Origin' } : {}),
  });
  res.socket?.setNoDelay(true);
  res.write(PREAMBLE);

  let open = true;
  const send = (bytes: Buffer): boolean => {
    if (!open || res.destroyed) return false;
    if (res.writableLength > MAX_UNSENT_BYTES) {
      ctx.log.warn({ playerId: member.playerId, unsent: res.writableLength }, 'SSE client too slow: disconnecting it');
      close();
      return false;
    }
    res.write(bytes);
    return true;
  };
  const sub: Subscriber = {
    factionId: member.factionId,
    write: (ev: OutboundEvent) => send(ev.sse),
    backlog: () => res.writableLength,
    cut: () => close(),
  };
  let detach: (() => void) | undefined;
  const stopBeat = ctx.heartbeat.add(() => send(HEARTBEAT));
  const close = () => {
    if (!open) return;
    open = false;
    stopBeat();
    detach?.();
    streams.delete(close);
    res.destroy();
  };
  streams.add(close);
  req.on('close', close);
  res.on('error', close);
  try {
    detach = await ctx.hub.subscribe(sub, from);
    if (!open) detach();
  } catch (e) {
    ctx.log.warn({ err: e }, 'could not start an SSE stream');
    close();
  }
}
