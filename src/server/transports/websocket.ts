import { STATUS_CODES, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { toError } from '../../errors.js';
import type { AppContext } from '../app-context.js';
import { tokenFrom } from '../authenticate.js';
import { clientAddress } from '../client-address.js';
import { errorResponse } from '../error-response.js';
import { parseResumePoint } from '../../realtime/resume-point.js';
import { originAllowed } from '../allowed-origin.js';
import { MemberStream, type EndReason } from './member-stream.js';
import { CLOSE_SESSION_ENDED, WsConnection } from './ws-connection.js';

export { CLOSE_SESSION_ENDED } from './ws-connection.js';

function refuseUpgrade(socket: Duplex, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (socket.destroyed) return;
  // The client went (or half-closed) while we decided: nothing to answer, nothing to keep.
  if (!socket.writable) return void socket.destroy();
  // Node hands over upgrade sockets paused: read (and drop) what the client still sends, or its
  // FIN is never seen and the half-closed socket stays. One that never closes its side is cut.
  socket.resume();
  setTimeout(() => socket.destroy(), 1000).unref();
  const text = JSON.stringify(body);
  const extra = Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('');
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(text)}\r\n${extra}connection: close\r\n\r\n${text}`,
  );
}

/**
 * Is this an upgrade to a WebSocket at /ws? Any other upgrade (h2c, or a WebSocket elsewhere) is a
 * plain HTTP request too, and is answered as one: a client cannot insist on a protocol change.
 */
function wantsWebSocket(req: IncomingMessage): boolean {
  const protocols = (req.headers.upgrade ?? '').split(',').map((p) => p.trim().toLowerCase());
  if (!protocols.includes('websocket')) return false;
  try {
    return new URL(req.url ?? '/', 'http://localhost').pathname === '/ws';
  } catch {
    // A WebSocket upgrade with a URL that does not parse: refused as malformed below.
    return true;
  }
}

/**
 * Hands an upgrade request back to the HTTP server as the plain request it also is: Node detached
 * its parser at the `Upgrade` header, so the request is given to a new one, minus that header (its
 * body and anything pipelined behind it follow as they came).
 */
function answerPlainly(server: Server, req: IncomingMessage, socket: Duplex, head: Buffer): void {
  const lines = [`${req.method} ${req.url} HTTP/${req.httpVersion}`];
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    const [name, value] = [req.rawHeaders[i], req.rawHeaders[i + 1]];
    const lower = name.toLowerCase();
    if (lower === 'upgrade') continue;
    if (lower === 'connection') {
      const kept = value
        .split(',')
        .map((t) => t.trim())
        .filter((t) => t !== '' && t.toLowerCase() !== 'upgrade');
      if (kept.length > 0) lines.push(`${name}: ${kept.join(', ')}`);
      continue;
    }
    lines.push(`${name}: ${value}`);
  }
  socket.unshift(Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), head]));
  server.emit('connection', socket);
}

/**
 * GET /ws: the same events as SSE, as `{"type","id","data"}` messages, plus commands
 * (the member operations of POST /api/calls, `resume`, `ping`), each answered with `{"type":"result","ref",…}`.
 * Other upgrade requests are answered as plain HTTP requests.
 */
export function attachWebSocket(ctx: AppContext, server: Server): WebSocketServer {
  // No permessage-deflate: events go out as frames encoded once for every subscriber (serve()).
  const wss = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024, perMessageDeflate: false });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // Node hands the socket over with no 'error' listener: a reset while we look the token up
    // would otherwise be an uncaught exception that ends every faction's streams.
    socket.on('error', () => socket.destroy());
    try {
      if (!wantsWebSocket(req)) return answerPlainly(server, req, socket, head);
      const url = new URL(req.url ?? '/', 'http://localhost');
      const origin = req.headers.origin;
      if (origin !== undefined && !originAllowed(origin, ctx.config.allowedOrigins, req.headers.host)) {
        return refuseUpgrade(socket, 403, {
          error: { code: 'forbidden_origin', message: `Origin ${JSON.stringify(origin.slice(0, 100))} is not allowed` },
        });
      }
      acceptWebSocket(ctx, wss, req, socket, head, url).catch((e) => {
        ctx.log.warn({ err: toError(e) }, 'WebSocket upgrade failed');
        socket.destroy();
      });
    } catch (e) {
      ctx.log.warn({ err: toError(e) }, 'WebSocket upgrade refused');
      refuseUpgrade(socket, 400, { error: { code: 'invalid_request', message: 'Malformed WebSocket upgrade request' } });
    }
  });
  return wss;
}

/** Ends a socket whose stream the node ends, before or after its upgrade. */
function endSocket(socket: Duplex, ws: WebSocket | undefined, reason: EndReason): void {
  if (!ws) return void socket.destroy();
  if (reason === 'revoked') ws.close(CLOSE_SESSION_ENDED, 'session ended: sign in again');
  else ws.close(1012, 'server restarting: resume from your last id');
  // A client that does not answer the close handshake is not waited for.
  setTimeout(() => ws.terminate(), 2000).unref();
}

async function acceptWebSocket(
  ctx: AppContext,
  wss: WebSocketServer,
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  url: URL,
): Promise<void> {
  let upgraded: WebSocket | undefined;
  let stream: MemberStream;
  let from: number | undefined;
  try {
    stream = await MemberStream.open(ctx, {
      token: tokenFrom(req.headers.authorization, url.searchParams.get('token')),
      ip: clientAddress(req, ctx.config.trustProxy),
      onEnd: (reason) => endSocket(socket, upgraded, reason),
    });
  } catch (e) {
    const { status, headers, body } = errorResponse(e, ctx.log);
    return refuseUpgrade(socket, status, body, headers);
  }
  try {
    from = parseResumePoint(url.searchParams.get('lastEventId'));
  } catch (e) {
    stream.close();
    const { status, body } = errorResponse(e, ctx.log);
    return refuseUpgrade(socket, status, body);
  }
  // The client may have gone while we looked its token up.
  if (socket.destroyed || !socket.writable) {
    stream.close();
    return void socket.destroy();
  }
  socket.once('close', () => {
    if (!upgraded) stream.close();
  });
  wss.handleUpgrade(req, socket, head, (ws) => {
    upgraded = ws;
    new WsConnection(ctx, stream, ws, socket).start(from);
  });
}
