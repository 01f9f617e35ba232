// The floor: a bare node:http server that keeps the connections in an array and writes each event's
// pre-encoded bytes to all of them, nothing else. argv[2] says how:
//   write  SSE through res.write (Node frames each write as a chunk: three writes and bookkeeping)
//   chunk  SSE as one pre-encoded HTTP/1.1 chunk written straight to each socket
// and WebSocket clients (GET /ws) always get one pre-encoded frame written straight to the socket.
// argv[3]: in how many processes (node:cluster workers sharing the port; the primary sends each of
// them the event, each encodes it once and writes it to its own connections).

import cluster from 'node:cluster';
import { createHash } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { OutboundEvent } from '../../src/realtime/outbound-event.js';
import { runPeer } from './peer.js';
import { benchEvent, now } from './wire.js';
import { forkWorkers, listening } from './workers.js';

const mode = process.argv[2] === 'write' ? 'write' : 'chunk';
const workers = Math.max(1, Number(process.argv[3]) || 1);
const WS_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/** The floor server in this process: listens, and writes event `i` as `seq` to every connection. */
async function startFloor(): Promise<{ url: string; write(seq: number, i: number): void }> {
  const sse = new Set<ServerResponse>();
  const ws = new Set<Socket>();
  const server = createServer((req, res) => {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.socket?.setNoDelay(true);
    res.write('retry: 3000\n\n');
    sse.add(res);
    res.on('close', () => sse.delete(res));
    res.on('error', () => res.destroy());
  });
  server.on('upgrade', (req, socket: Socket) => {
    const accept = createHash('sha1')
      .update(String(req.headers['sec-websocket-key']) + WS_GUID)
      .digest('base64');
    socket.setNoDelay(true);
    socket.write(
      `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`,
    );
    socket.on('error', () => socket.destroy());
    socket.on('close', () => ws.delete(socket));
    // The clients send nothing but their close; read and drop.
    socket.resume();
    ws.add(socket);
  });
  server.maxConnections = Infinity;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', 511, r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    write(seq, i) {
      const ev = new OutboundEvent(seq, 'target_call', benchEvent(i));
      if (sse.size) {
        if (mode === 'write') {
          const bytes = ev.sse;
          for (const res of sse) res.write(bytes);
        } else {
          const bytes = ev.sseChunk;
          for (const res of sse) res.socket?.write(bytes);
        }
      }
      if (ws.size) {
        const frame = ev.wsFrame;
        for (const s of ws) s.write(frame);
      }
    },
  };
}

if (cluster.isWorker) {
  const floor = await startFloor();
  process.on('message', (m: { t?: string; seq: number; i: number }) => (m.t === 'event' ? floor.write(m.seq, m.i) : undefined));
  listening(floor.url);
} else {
  await runPeer(async () => {
    let seq = 0;
    if (workers === 1) {
      const floor = await startFloor();
      return {
        url: floor.url,
        async publish(i) {
          const committedAt = now();
          floor.write(++seq, i);
          return { seq, committedAt };
        },
      };
    }
    const cl = await forkWorkers(workers);
    return {
      url: cl.url,
      async publish(i) {
        const committedAt = now();
        seq++;
        for (const w of cl.workers) w.send({ t: 'event', seq, i });
        return { seq, committedAt };
      },
    };
  });
}
