import type { IncomingMessage, ServerResponse } from 'node:http';
import { AppError } from '../../errors.js';
import type { AppContext } from '../app-context.js';
import { authenticateCaller, tokenFrom, type Caller } from '../authenticate.js';
import { clientAddress } from '../client-address.js';
import { originAllowed } from '../allowed-origin.js';
import { errorResponse } from '../error-response.js';
import type { Subscriber } from '../../realtime/hub/hub.js';
import type { OutboundEvent } from '../../realtime/outbound-event.js';
import { parseResumePoint } from '../../realtime/resume-point.js';

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
export async function handleSse(ctx: AppContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  let caller: Caller;
  let from: number | undefined;
  let release: () => void;
  let open = true;
  let detach: (() => void) | undefined;
  // Set once the stream is live; `close` may run before (a revocation while we authenticate).
  // eslint-disable-next-line prefer-const
  let stopBeat: (() => void) | undefined;
  const close = () => {
    if (!open) return;
    open = false;
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
    if (!res.headersSent && !res.destroyed) res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
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
  stopBeat = ctx.heartbeat.add(() => send(HEARTBEAT));
  // A GET with a body (a hostile or confused client) would leave it unread: drop it, so the
  // client's going is seen at once. Not req's 'close': that fires once the request is read.
  // The response's 'close' is the connection's end.
  req.resume();
  res.on('close', close);
  res.on('error', close);
  try {
    const d = await ctx.hub.subscribe(sub, from);
    if (open) detach = d;
    else d();
  } catch (e) {
    ctx.log.warn({ err: e }, 'could not start an SSE stream');
    close();
  }
}
