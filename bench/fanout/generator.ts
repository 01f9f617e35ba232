// A load generator: opens its share of the clients (raw SSE over net, `ws`, or socket.io-client),
// notes when each client gets each event, checks every client got every event once and in order,
// and turns the receive times into commit-to-client latencies once told the commit times.

import { connect, type Socket } from 'node:net';
import WebSocket from 'ws';
import { io as ioClient, type Socket as IoSocket } from 'socket.io-client';
import { now, type GeneratorCommand, type GeneratorInit, type GeneratorReply } from './wire.js';

const init = JSON.parse(process.argv[2]) as GeneratorInit;
const send = (m: GeneratorReply) => process.send!(m);

const lastSeq = new Int32Array(init.count);
const disordered = new Uint8Array(init.count);
const delivered = new Int32Array(init.count);
let first = Number.MAX_SAFE_INTEGER;
let measured = 0;
let received = new Float64Array(0);
let cpuAtMeasure = 0;
const cpuMs = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
};
const closers: (() => void)[] = [];

function onEvent(c: number, seq: number): void {
  const t = now();
  const last = lastSeq[c];
  // The first event a client sees may be any (it went live after some); then each must follow.
  if (last !== 0 && seq !== last + 1) disordered[c] = 1;
  if (seq > last) lastSeq[c] = seq;
  const k = seq - first;
  if (k >= 0 && k < measured) {
    if (received[c * measured + k] === 0) delivered[c]++;
    else disordered[c] = 1;
    received[c * measured + k] = t;
  }
}

/** The number after `"id":` in a JSON text (the event's id comes before its data). */
function idAfter(text: Buffer | string, from = 0): number {
  const s = typeof text === 'string' ? text : text.toString('latin1', 0, Math.min(text.length, 80));
  const k = s.indexOf('"id":', from);
  return k < 0 ? NaN : parseInt(s.slice(k + 5, k + 20), 10);
}

function openSse(c: number): Promise<void> {
  const u = new URL(init.url);
  return new Promise((resolve, reject) => {
    const socket: Socket = connect({ host: u.hostname, port: Number(u.port), localAddress: init.localAddress });
    let head = true;
    let tail = '';
    socket.setNoDelay(true);
    socket.once('connect', () => {
      const token = init.tokens.length ? init.tokens[c % init.tokens.length] : '';
      socket.write(`GET /events HTTP/1.1\r\nHost: ${u.host}\r\nAccept: text/event-stream\r\nAuthorization: Bearer ${token}\r\n\r\n`);
    });
    socket.on('data', (chunk: Buffer) => {
      let s = tail + chunk.toString('latin1');
      if (head) {
        const end = s.indexOf('\r\n\r\n');
        if (end < 0) return void (tail = s);
        if (!s.startsWith('HTTP/1.1 200')) {
          socket.destroy();
          return reject(new Error(s.slice(0, 200)));
        }
        head = false;
        s = s.slice(end + 4);
        resolve();
      }
      // Every `id:` line that ends in this text; what follows the last line break waits for more.
      let k = 0;
      while ((k = s.indexOf('id: ', k)) >= 0) {
        const eol = s.indexOf('\n', k);
        if (eol < 0) break;
        onEvent(c, parseInt(s.slice(k + 4, eol), 10));
        k = eol;
      }
      const lastBreak = s.lastIndexOf('\n');
      tail = lastBreak < 0 ? s : s.slice(lastBreak + 1);
    });
    socket.on('error', (e) => (head ? reject(e) : undefined));
    closers.push(() => socket.destroy());
  });
}

function openWs(c: number): Promise<void> {
  const token = init.tokens.length ? init.tokens[c % init.tokens.length] : '';
  const ws = new WebSocket(`${init.url.replace('http', 'ws')}/ws?token=${token}`, {
    localAddress: init.localAddress,
    perMessageDeflate: false,
  });
  ws.on('message', (data: Buffer) => onEvent(c, idAfter(data)));
  closers.push(() => ws.terminate());
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
}

function openSocketIo(c: number): Promise<void> {
  const socket: IoSocket = ioClient(init.url, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    localAddress: init.localAddress,
  } as Parameters<typeof ioClient>[1]);
  socket.on('target_call', (m: { id: number }) => onEvent(c, m.id));
  closers.push(() => socket.disconnect());
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
}

const open = init.kind === 'sse' ? openSse : init.kind === 'ws' ? openWs : openSocketIo;

async function connectAll(): Promise<void> {
  let ok = 0;
  let failed = 0;
  let firstError: string | undefined;
  // A few hundred handshakes at a time: the server's accept queue is 511.
  const inFlight = 200;
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(inFlight, init.count) }, async () => {
      while (next < init.count) {
        const c = next++;
        try {
          await open(c);
          ok++;
        } catch (e) {
          failed++;
          firstError ??= e instanceof Error ? e.message : String(e);
        }
      }
    }),
  );
  send({ t: 'connected', ok, failed, firstError });
}

function behind(seq: number): number {
  let n = 0;
  for (let c = 0; c < init.count; c++) if (lastSeq[c] < seq) n++;
  return n;
}

process.on('message', (m: GeneratorCommand) => {
  if (m.t === 'measure') {
    first = m.first;
    measured = m.count;
    received = new Float64Array(init.count * measured);
    cpuAtMeasure = cpuMs();
  } else if (m.t === 'waitFor') {
    const until = now() + m.timeoutMs;
    const check = () => {
      const n = behind(m.seq);
      if (n === 0 || now() > until) send({ t: 'reached', behind: n });
      else setTimeout(check, 20);
    };
    check();
  } else if (m.t === 'collect') {
    const latencies = new Float32Array(init.count * measured);
    let n = 0;
    let complete = 0;
    let minDelivered = Infinity;
    let maxDelivered = 0;
    for (let c = 0; c < init.count; c++) {
      if (delivered[c] === measured && !disordered[c]) complete++;
      minDelivered = Math.min(minDelivered, delivered[c]);
      maxDelivered = Math.max(maxDelivered, delivered[c]);
      for (let k = 0; k < measured; k++) {
        const t = received[c * measured + k];
        if (t !== 0) latencies[n++] = t - m.commits[k];
      }
    }
    send({
      t: 'result',
      complete,
      minDelivered,
      maxDelivered,
      disordered: disordered.reduce((a, b) => a + b, 0),
      latencies: Buffer.from(latencies.buffer, 0, n * 4).toString('base64'),
      cpuMs: cpuMs() - cpuAtMeasure,
    });
  } else if (m.t === 'stop') {
    for (const close of closers) close();
    process.exit(0);
  }
});
process.on('disconnect', () => process.exit(0));

await connectAll();
