// socket.io 4 as members would use it: every client joins its faction's room, an event is one
// `io.to(room).emit(...)` (socket.io encodes the packet once per broadcast). WebSocket transport.
// argv[2]: in how many processes. More than one: node:cluster workers sharing the port, joined by
// @socket.io/cluster-adapter (the primary relays each broadcast to the other workers); the first
// worker emits. WebSocket-only clients need no sticky sessions: a connection stays on its worker.

import cluster from 'node:cluster';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdapter, setupPrimary } from '@socket.io/cluster-adapter';
import { Server } from 'socket.io';
import { runPeer } from './peer.js';
import { benchEvent, now } from './wire.js';
import { forkWorkers, listening } from './workers.js';

const workers = Math.max(1, Number(process.argv[2]) || 1);

/** socket.io in this process; `emit` broadcasts event `i` as `seq` and says when it was called. */
async function startSocketIo(): Promise<{ url: string; emit(seq: number, i: number): number }> {
  const http = createServer();
  // Pings every 60 s, like the TornCat peer's keep-alives: the figures are per event.
  const io = new Server(http, { transports: ['websocket'], pingInterval: 60_000, pingTimeout: 60_000, perMessageDeflate: false });
  if (cluster.isWorker) io.adapter(createAdapter());
  io.on('connection', (socket) => void socket.join('faction:1001'));
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', 511, r));
  return {
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
    emit(seq, i) {
      const at = now();
      io.to('faction:1001').emit('target_call', { id: seq, data: benchEvent(i) });
      return at;
    },
  };
}

if (cluster.isWorker) {
  const sio = await startSocketIo();
  process.on('message', (m: { t?: string; seq: number; i: number }) => {
    if (m.t === 'emit') process.send!({ t: 'emitted', seq: m.seq, at: sio.emit(m.seq, m.i) });
  });
  listening(sio.url);
} else {
  await runPeer(async () => {
    let seq = 0;
    if (workers === 1) {
      const sio = await startSocketIo();
      return {
        url: sio.url,
        async publish(i) {
          const committedAt = sio.emit(++seq, i);
          return { seq, committedAt };
        },
      };
    }
    setupPrimary();
    const cl = await forkWorkers(workers);
    const first = cl.workers[0];
    return {
      url: cl.url,
      // From the emit in the first worker (the broadcast call), as in one process; the next event
      // is not held back until it is done (the primary is free: so are TornCat's and the floor's).
      async publish(i) {
        const s = ++seq;
        const committedAt = new Promise<number>((resolve) => {
          const onMessage = (m: { t?: string; seq: number; at: number }) => {
            if (m.t !== 'emitted' || m.seq !== s) return;
            first.off('message', onMessage);
            resolve(m.at);
          };
          first.on('message', onMessage);
        });
        first.send({ t: 'emit', seq: s, i });
        return { seq: s, committedAt };
      },
    };
  });
}
