import { request, type IncomingHttpHeaders } from 'node:http';
import { readJsonResponse } from '../helpers/json-response.js';

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

/** One request on a connection of its own (so Node's round-robin may give it to any worker): status, body and the worker that answered. */
export function oneShot(
  baseUrl: string,
  path: string,
  init: { method?: string; headers?: Record<string, string>; body?: unknown } = {},
): Promise<{ status: number; body: any; worker: string | undefined }> {
  const payload = init.body === undefined ? undefined : JSON.stringify(init.body);
  return new Promise((resolve, reject) => {
    const req = request(
      new URL(path, baseUrl),
      {
        method: init.method ?? (payload === undefined ? 'GET' : 'POST'),
        agent: false,
        headers: { connection: 'close', ...(payload === undefined ? {} : { 'content-type': 'application/json' }), ...init.headers },
      },
      (res) => {
        readJsonResponse(res).then(({ status, body }) => resolve({ status, body, worker: workerOf(res) }), reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** The pid of each worker, by number, from its "worker N serving" line (the last one: a replacement's). */
export function workerPids(logs: readonly { msg: string; worker?: unknown; pid?: unknown }[]): Map<number, number> {
  const pids = new Map<number, number>();
  for (const l of logs) if (/^worker \d+ serving /.test(l.msg) && typeof l.pid === 'number') pids.set(Number(l.worker), l.pid);
  return pids;
}

/** `n` requests one after the other, each on a connection of its own (see oneShot): their answers in order. */
export async function oneByOne<T>(n: number, send: (i: number) => Promise<T>): Promise<T[]> {
  const answers: T[] = [];
  for (let i = 0; i < n; i++) answers.push(await send(i));
  return answers;
}
