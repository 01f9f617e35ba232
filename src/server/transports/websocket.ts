import { STATUS_CODES, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, WebSocket, type RawData } from 'ws';
import { z } from 'zod';
import { AppError, toError } from '../../errors.js';
import type { AppContext } from '../app-context.js';
import { authenticateCaller, tokenFrom, type Caller } from '../authenticate.js';
import { clientAddress } from '../client-address.js';
import { errorResponse } from '../error-response.js';
import { runCallOp } from '../../war/call-ops.js';
import { CALL_OP_NAMES } from '../../protocol/call.js';
import { callOpsOptions } from '../call-ops-options.js';
import { headSeq } from '../../realtime/event-log.js';
import { parseResumePoint } from '../../realtime/resume-point.js';
import { WsSubscriber } from './subscribers.js';
import { originAllowed } from '../allowed-origin.js';

// A member command's own fields are checked by call-ops, as one op of POST /api/calls.
const command = z.discriminatedUnion('type', [
  z.looseObject({ type: z.enum(CALL_OP_NAMES), ref: z.unknown().optional() }),
  z.object({ type: z.literal('resume'), lastEventId: z.union([z.number(), z.string(), z.null()]).optional(), ref: z.unknown().optional() }),
  z.object({ type: z.literal('ping'), ref: z.unknown().optional() }),
]);

/** `{"op": …}` without `type` is a member command too (the shape of a POST /api/calls op). */
function withType(parsed: unknown): unknown {
  if (typeof parsed !== 'object' || parsed === null || 'type' in parsed || !('op' in parsed)) return parsed;
  return { ...parsed, type: (parsed as { op: unknown }).op };
}

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

/** Close code for "your session ended (sign-out, faction change, key removed): sign in again". */
export const CLOSE_SESSION_ENDED = 4401;
/** Commands a client may have waiting on one socket; more is a client that does not wait for answers. */
const MAX_QUEUED_COMMANDS = 32;

interface WsSession {
  token: string;
  caller: Caller;
  ip: string;
  from: number | undefined;
}

/**
 * GET /ws: the same events as SSE, as `{"type","id","data"}` messages, plus commands
 * (the member operations of POST /api/calls, `resume`, `ping`), each answered with `{"type":"result","ref",…}`.
 */
export function attachWebSocket(ctx: AppContext, server: Server): WebSocketServer {
  // No permessage-deflate: events go out as frames encoded once for every subscriber (serve()).
  const wss = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024, perMessageDeflate: false });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // Node hands the socket over with no 'error' listener: a reset while we look the token up
    // would otherwise be an uncaught exception that ends every faction's streams.
    socket.on('error', () => socket.destroy());
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (url.pathname !== '/ws')
        return refuseUpgrade(socket, 404, { error: { code: 'not_found', message: `No WebSocket at ${url.pathname}` } });
      const origin = req.headers.origin;
      if (origin !== undefined && !originAllowed(origin, ctx.config.allowedOrigins, req.headers.host)) {
        return refuseUpgrade(socket, 403, {
          error: { code: 'forbidden_origin', message: `Origin ${JSON.stringify(origin.slice(0, 100))} is not allowed` },
        });
      }
      void (async () => {
        let session: WsSession;
        try {
          if (ctx.shuttingDown) throw new AppError('shutting_down');
          const token = tokenFrom(req.headers.authorization, url.searchParams.get('token'));
          const caller = await authenticateCaller(ctx, token);
          session = {
            token: token!,
            caller,
            ip: clientAddress(req, ctx.config.trustProxy),
            from: parseResumePoint(url.searchParams.get('lastEventId')),
          };
        } catch (e) {
          const { status, body } = errorResponse(e, ctx.log);
          return refuseUpgrade(socket, status, body);
        }
        // The client may have gone while we looked its token up.
        if (socket.destroyed || !socket.writable) return void socket.destroy();
        let release: () => void;
        try {
          release = ctx.streams.open({
            digest: session.caller.digest,
            playerId: session.caller.member.playerId,
            ip: session.ip,
            end: (reason) => endSocket(reason),
          });
        } catch (e) {
          const { status, headers, body } = errorResponse(e, ctx.log);
          return refuseUpgrade(socket, status, body, headers);
        }
        let socketRef: WebSocket | undefined;
        const endSocket = (reason: 'revoked' | 'shutdown') => {
          if (!socketRef) return socket.destroy();
          if (reason === 'revoked') socketRef.close(CLOSE_SESSION_ENDED, 'session ended: sign in again');
          else socketRef.close(1012, 'server restarting: resume from your last id');
          // A client that does not answer the close handshake is not waited for.
          const ws = socketRef;
          setTimeout(() => ws.terminate(), 2000).unref();
        };
        socket.once('close', () => {
          if (!socketRef) release();
        });
        wss.handleUpgrade(req, socket, head, (ws) => {
          socketRef = ws;
          serve(ctx, ws, socket, session, release);
        });
      })().catch((e) => {
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

function serve(ctx: AppContext, ws: WebSocket, socket: Duplex, session: WsSession, release: () => void): void {
  const { member } = session.caller;
  let detach: (() => void) | undefined;
  let alive = true;
  let closed = false;
  // Commands run one at a time, in order: a `resume` is done before the next command starts, so
  // the socket never holds two subscriptions.
  let queue: Promise<void> = Promise.resolve();
  let queued = 0;

  /** Replaces the socket's subscription with one from `position`. */
  const subscribe = async (position: number | undefined) => {
    detach?.();
    detach = undefined;
    const sub = new WsSubscriber(member.factionId, ws, socket, (unsent) => {
      ctx.log.warn({ playerId: member.playerId, unsent }, 'WebSocket client too slow: disconnecting it');
      ctx.metrics.realtime.cutUnsent('websocket');
      ws.terminate();
    });
    const d = await ctx.hub.subscribe(sub, position);
    const stop = () => {
      sub.current = false;
      d();
    };
    if (closed) stop();
    else detach = stop;
  };
  const reply = (msg: Record<string, unknown>) => {
    if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(msg));
  };
  const enqueue = (work: () => Promise<void>) => {
    queued++;
    queue = queue.then(work).finally(() => queued--);
  };

  const stopBeat = ctx.heartbeat.add(() => {
    if (!alive) return ws.terminate();
    alive = false;
    ws.ping();
  });
  ws.on('pong', () => (alive = true));
  ws.on('close', () => {
    closed = true;
    stopBeat();
    detach?.();
    detach = undefined;
    release();
  });
  ws.on('error', () => ws.terminate());

  ws.on('message', (raw: RawData, isBinary: boolean) => {
    alive = true;
    if (queued >= MAX_QUEUED_COMMANDS) {
      ws.close(1008, `at most ${MAX_QUEUED_COMMANDS} commands may wait for their answer`);
      return;
    }
    enqueue(() => runCommand(raw, isBinary));
  });

  async function runCommand(raw: RawData, isBinary: boolean): Promise<void> {
    if (closed) return;
    let ref: unknown;
    try {
      let parsed: unknown;
      try {
        parsed = JSON.parse(isBinary ? '' : raw.toString());
      } catch {
        throw new AppError('invalid_json', 'Each message must be one JSON object');
      }
      ref = (parsed as { ref?: unknown } | null)?.ref;
      const r = command.safeParse(withType(parsed));
      if (!r.success) {
        throw new AppError(
          'invalid_request',
          `Commands are {"type":<op>,"targetId":N,"ref":…} (or {"op":<op>,…}) with <op> one of ${CALL_OP_NAMES.join(', ')}, {"type":"resume","lastEventId":N} or {"type":"ping"}`,
        );
      }
      const cmd = r.data;
      if (cmd.type === 'ping') return reply({ type: 'pong', ref });
      // Rights are the database's, now: a session that ended since the upgrade ends the socket.
      try {
        await authenticateCaller(ctx, session.token);
      } catch (e) {
        if (e instanceof AppError && (e.code === 'unauthorized' || e.code === 'key_disabled')) {
          const { body } = errorResponse(e, ctx.log);
          reply({ type: 'result', ref, ok: false, error: body.error });
          ws.close(CLOSE_SESSION_ENDED, 'session ended: sign in again');
          return;
        }
        throw e;
      }
      if (cmd.type === 'resume') {
        await subscribe(parseResumePoint(cmd.lastEventId));
        return reply({ type: 'result', ref, ok: true });
      }
      ctx.limits.callOps.take(String(member.playerId));
      const { type, ref: _ref, ...fields } = cmd;
      const result = await runCallOp(callOpsOptions(ctx), member, { ...fields, op: type }, type);
      reply({ type: 'result', ref, ...result, seq: await headSeq(ctx.db, member.factionId) });
    } catch (e) {
      const { body } = errorResponse(e instanceof AppError ? e : toError(e), ctx.log);
      reply({ type: 'result', ref, ok: false, error: body.error });
    }
  }

  enqueue(() =>
    subscribe(session.from).catch((e) => {
      ctx.log.warn({ err: toError(e) }, 'could not start a WebSocket stream');
      ws.close(1011, 'could not start the stream');
    }),
  );
}
