// The part every server under test shares: it answers the coordinator's commands (publish events
// at a pace and say when each was committed, CPU used so far, RSS after a GC).

import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { now, type PeerCommand, type PeerReply } from './wire.js';

export interface PeerServer {
  url: string;
  tokens?: string[];
  database?: string;
  /** Publishes event number `i`; resolves with its seq and when it was committed (now()). */
  publish(i: number): Promise<{ seq: number; committedAt: number }>;
}

const send = (m: PeerReply) => process.send!(m);

export async function runPeer(start: () => Promise<PeerServer>): Promise<void> {
  const server = await start();
  let published = 0;
  let profiler: Session | undefined;
  process.on('message', (m: PeerCommand) => {
    void (async () => {
      if (m.t === 'publish') {
        const seqs: number[] = [];
        const commits: number[] = [];
        const t0 = now();
        for (let k = 0; k < m.n; k++) {
          // On a fixed schedule: a slow event does not push the next ones back.
          const wait = t0 + k * m.intervalMs - now();
          if (wait > 0) await new Promise((r) => setTimeout(r, wait));
          const { seq, committedAt } = await server.publish(published++);
          seqs.push(seq);
          commits.push(committedAt);
        }
        send({ t: 'published', seqs, commits });
      } else if (m.t === 'cpu') {
        const c = process.cpuUsage();
        send({ t: 'cpu', cpuMs: (c.user + c.system) / 1000, userMs: c.user / 1000, at: now() });
      } else if (m.t === 'rss') {
        const gc = (globalThis as { gc?: () => void }).gc;
        gc?.();
        gc?.();
        await new Promise((r) => setTimeout(r, 200));
        const mem = process.memoryUsage();
        send({ t: 'rss', rss: mem.rss, heapUsed: mem.heapUsed });
      } else if (m.t === 'profile') {
        // What --cpu-prof records, for the measured events only (not start-up and connections).
        if (!m.file) {
          profiler = new Session();
          profiler.connect();
          await profiler.post('Profiler.enable');
          await profiler.post('Profiler.start');
        } else if (profiler) {
          const { profile } = await profiler.post('Profiler.stop');
          writeFileSync(m.file, JSON.stringify(profile));
          profiler.disconnect();
        }
        send({ t: 'profiled' });
      } else if (m.t === 'stop') {
        // process.exit writes a --cpu-prof profile; open sockets need not be closed one by one.
        process.exit(0);
      }
    })();
  });
  process.on('disconnect', () => process.exit(0));
  send({ t: 'ready', url: server.url, tokens: server.tokens ?? [], database: server.database });
}
