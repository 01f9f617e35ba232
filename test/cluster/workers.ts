import type { IncomingHttpHeaders } from 'node:http';

/**
 * Opens clients until one is on each of `workers` workers (Node's cluster hands connections out
 * round-robin, so a few do); keeps one per worker, by the worker's number, and closes the rest.
 */
export async function onWorkers<C extends { close(): void }>(
  connect: () => Promise<C>,
  workerOf: (c: C) => string | undefined,
  workers = 2,
): Promise<Map<string, C>> {
  const kept = new Map<string, C>();
  for (let i = 0; i < 10 * workers && kept.size < workers; i++) {
    const c = await connect();
    const w = workerOf(c);
    if (w && !kept.has(w)) kept.set(w, c);
    else c.close();
  }
  return kept;
}

/** The worker that answered: its X-TornCat-Worker header (an SSE answer's, a WebSocket's upgrade answer's). */
export function workerOf(c: { headers: IncomingHttpHeaders }): string | undefined {
  const w = c.headers['x-torncat-worker'];
  return typeof w === 'string' ? w : undefined;
}
