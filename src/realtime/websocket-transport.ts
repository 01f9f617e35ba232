import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, WebSocket, type RawData } from 'ws';
import { z } from 'zod';
import { AppError, toError } from '../errors.js';
import type { Member } from '../auth/sessions.js';
import type { AppContext } from '../server/app-context.js';
import { authenticate, tokenFrom } from '../server/authenticate.js';
import { errorResponse } from '../server/error-response.js';
import { runCallOp } from '../war/call-ops.js';
import { headSeq } from './event-log.js';
import type { Subscriber } from './hub.js';
import { parseResumePoint } from './resume-point.js';
import { MAX_UNSENT_BYTES } from './sse-transport.js';
import { originAllowed } from '../server/allowed-origin.js';

const command = z.discriminatedUnion('type', [
  z.object({ type: z.literal('call'), targetId: z.number().int().positive(), ref: z.unknown().optional() }),
  z.object({ type: z.literal('release'), targetId: z.number().int().positive(), ref: z.unknown().optional() }),
  z.object({ type: z.literal('resume'), lastEventId: z.union([z.number(), z.string(), z.null()]).optional(), ref: z.unknown().optional() }),
  z.object({ type: z.literal('ping'), ref: z.unknown().optional() }),
]);

function refuseUpgrade(socket: Duplex, status: number, body: unknown): void {
  if (socket.destroyed || !socket.writable) return;
  const text = JSON.stringify(body);
  socket.end(
    `HTTP/1.1 ${status} ${status === 401 ? 'Unauthorized' : 'Error'}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(text)}\r\nconnection: close\r\n\r\n${text}`,
  );
}

/**
 * GET /ws: the same events as SSE, as `{"type","id","data"}` messages, plus commands
 * (`call`, `release`, `resume`, `ping`), each answered with `{"type":"result","ref",…}`.
 */
export function attachWebSocket(ctx: AppContext, server: Server, sockets: Set<() => void>): WebSocketServer {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 });

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
        let member: Member;
        let from: number | undefined;
        try {
          if (ctx.shuttingDown) throw new AppError('shutting_down');
          member = await authenticate(ctx, tokenFrom(req.headers.authorization, url.searchParams.get('token')));
          from = parseResumePoint(url.searchParams.get('lastEventId'));
        } catch (e) {
          const { status, body } = errorResponse(e, ctx.log);
          return refuseUpgrade(socket, status, body);
        }
        // The client may have gone while we looked its token up.
        if (socket.destroyed || !socket.writable) return;
        wss.handleUpgrade(req, socket, head, (ws) => serve(ctx, ws, member, from, sockets));
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

function serve(ctx: AppContext, ws: WebSocket, member: Member, from: number | undefined, sockets: Set<() => void>): void {
  let detach: (() => void) | undefined;
  let alive = true;
  // Each (re)subscription gets its own Subscriber, so a replay that a `resume` replaced stops writing.
  const subscribe = async (position: number | undefined) => {
    detach?.();
    let current = true;
    const sub: Subscriber = {
      factionId: member.factionId,
      write(ev) {
        if (!current || ws.readyState !== WebSocket.OPEN) return false;
        if (ws.bufferedAmount > MAX_UNSENT_BYTES) {
          ctx.log.warn({ playerId: member.playerId, unsent: ws.bufferedAmount }, 'WebSocket client too slow: disconnecting it');
          ws.terminate();
          return false;
        }
        ws.send(ev.ws);
        return true;
      },
      backlog: () => ws.bufferedAmount,
      cut: () => ws.terminate(),
    };
    const d = await ctx.hub.subscribe(sub, position);
    detach = () => {
      current = false;
      d();
    };
  };
  const reply = (msg: Record<string, unknown>) => {
    if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(msg));
  };

  const stopBeat = ctx.heartbeat.add(() => {
    if (!alive) return ws.terminate();
    alive = false;
    ws.ping();
  });
  const close = () => ws.close(1012, 'server restarting: resume from your last id');
  sockets.add(close);
  ws.on('pong', () => (alive = true));
  ws.on('close', () => {
    stopBeat();
    detach?.();
    sockets.delete(close);
  });
  ws.on('error', () => ws.terminate());

  ws.on('message', (raw: RawData, isBinary: boolean) => {
    alive = true;
    void (async () => {
      let ref: unknown;
      try {
        let parsed: unknown;
        try {
          parsed = JSON.parse(isBinary ? '' : raw.toString());
        } catch {
          throw new AppError('invalid_json', 'Each message must be one JSON object');
        }
        ref = (parsed as { ref?: unknown } | null)?.ref;
        const r = command.safeParse(parsed);
        if (!r.success) {
          throw new AppError(
            'invalid_request',
            'Commands are {"type":"call"|"release","targetId":N,"ref":…}, {"type":"resume","lastEventId":N} or {"type":"ping"}',
          );
        }
        const cmd = r.data;
        if (cmd.type === 'ping') return reply({ type: 'pong', ref });
        if (cmd.type === 'resume') {
          await subscribe(parseResumePoint(cmd.lastEventId));
          return reply({ type: 'result', ref, ok: true });
        }
        const result = await runCallOp({ db: ctx.db, ttlMs: ctx.config.callTtlMs, maxActive: ctx.config.maxActiveCallsPerMember }, member, {
          op: cmd.type,
          targetId: cmd.targetId,
        });
        reply({ type: 'result', ref, ...result, seq: await headSeq(ctx.db, member.factionId) });
      } catch (e) {
        const { body } = errorResponse(e instanceof AppError ? e : toError(e), ctx.log);
        reply({ type: 'result', ref, ok: false, error: body.error });
      }
    })();
  });

  subscribe(from).catch((e) => {
    ctx.log.warn({ err: toError(e) }, 'could not start a WebSocket stream');
    ws.close(1011, 'could not start the stream');
  });
}
