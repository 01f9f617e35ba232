// The part every server under test shares: it answers the coordinator's commands (publish events
// at a pace and say when each was committed, CPU used so far, RSS after a GC), for every process of
// the server (this one and the workers it forked) summed.

import { askProbe, serverCpu, serverPids } from './server-processes.js';
import { now, type PeerCommand, type PeerReply } from './wire.js';

export interface PeerServer {
  url: string;
  tokens?: string[];
  database?: string;
  /** Publishes event number `i`; resolves with its seq and when it was committed (now()). */
  /**
   * Publishes event number `i`; resolves with its seq and when it was committed (now()), or, for a
   * server that broadcasts elsewhere, with when that will be known: the next event must not wait for it.
   */
  publish(i: number): Promise<{ seq: number; committedAt: number | Promise<number> }>;
  /** Ends the server's processes its own way (else this process exits, and node:cluster workers with it). */
  stop?(): void;
}

const send = (m: PeerReply) => process.send!(m);

export async function runPeer(start: () => Promise<PeerServer>): Promise<void> {
  const server = await start();
  let published = 0;
  const probes = process.env.FANOUT_PROBE_DIR!;
  process.on('message', (m: PeerCommand) => {
    void (async () => {
      if (m.t === 'publish') {
        const seqs: number[] = [];
        const commits: (number | Promise<number>)[] = [];
        const t0 = now();
        for (let k = 0; k < m.n; k++) {
          // On a fixed schedule: a slow event does not push the next ones back.
          const wait = t0 + k * m.intervalMs - now();
          if (wait > 0) await new Promise((r) => setTimeout(r, wait));
          const { seq, committedAt } = await server.publish(published++);
          seqs.push(seq);
          commits.push(committedAt);
        }
        send({ t: 'published', seqs, commits: await Promise.all(commits) });
      } else if (m.t === 'cpu') {
        send({ t: 'cpu', ...serverCpu(serverPids(probes)), at: now() });
      } else if (m.t === 'rss') {
        const replies = await Promise.all(serverPids(probes).map((pid) => askProbe(probes, pid, { t: 'gc' })));
        send({ t: 'rss', rss: replies.reduce((a, r) => a + (r.rss ?? 0), 0), processes: replies.length });
      } else if (m.t === 'profile') {
        // What --cpu-prof records, for the measured events only (not start-up and connections): one
        // profile per process, <file>.cpuprofile for a single one, <file>-p<k>.cpuprofile (0: this one) else.
        const pids = serverPids(probes);
        await Promise.all(
          pids.map((pid, k) =>
            askProbe(probes, pid, {
              t: 'profile',
              file: m.file && (pids.length === 1 ? `${m.file}.cpuprofile` : `${m.file}-p${k}.cpuprofile`),
            }),
          ),
        );
        send({ t: 'profiled' });
      } else if (m.t === 'stop') {
        // process.exit writes a --cpu-prof profile; open sockets need not be closed one by one.
        if (server.stop) server.stop();
        else process.exit(0);
      }
    })();
  });
  process.on('disconnect', () => process.exit(0));
  send({ t: 'ready', url: server.url, tokens: server.tokens ?? [], database: server.database });
}
