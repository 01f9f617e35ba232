// socket.io 4 as members would use it: every client joins its faction's room, an event is one
// `io.to(room).emit(...)` (socket.io encodes the packet once per broadcast). WebSocket transport.

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { runPeer } from './peer.js';
import { benchEvent, now } from './wire.js';

await runPeer(async () => {
  const http = createServer();
  // Pings every 60 s, like the TornCat peer's keep-alives: the figures are per event.
  const io = new Server(http, { transports: ['websocket'], pingInterval: 60_000, pingTimeout: 60_000, perMessageDeflate: false });
  io.on('connection', (socket) => void socket.join('faction:1001'));
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', 511, r));
  let seq = 0;
  return {
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
    async publish(i) {
      const committedAt = now();
      io.to('faction:1001').emit('target_call', { id: ++seq, data: benchEvent(i) });
      return { seq, committedAt };
    },
  };
});
