// A bench server in N node:cluster workers sharing one port, as `torncat serve` runs with WORKERS=N:
// the peer process is the primary, which forks the workers (they run the peer's own script, with its
// flags and environment, so the probe too) and waits until every one listens. The primary hands each
// new connection to the next worker in turn (node:cluster's round-robin, its default on Linux).

import cluster, { type Worker } from 'node:cluster';

export interface ClusterMessage {
  t: 'listening';
  url: string;
}

/** Forks `n` workers (`env` added to theirs); resolves once every one listens, with the URL they share. */
export async function forkWorkers(n: number, env: Record<string, string> = {}): Promise<{ url: string; workers: Worker[] }> {
  const workers = Array.from({ length: n }, () => cluster.fork(env));
  const urls = await Promise.all(
    workers.map(
      (w) =>
        new Promise<string>((resolve, reject) => {
          w.on('message', (m: ClusterMessage) => (m?.t === 'listening' ? resolve(m.url) : undefined));
          w.once('exit', (code) => reject(new Error(`worker exited (${code}) before listening`)));
        }),
    ),
  );
  return { url: urls[0], workers };
}

/** In a worker: tells the primary it listens at `url`. */
export function listening(url: string): void {
  process.send!({ t: 'listening', url } satisfies ClusterMessage);
}
