// Streams vs polling: how fast a call reaches every member, and what it costs, per transport — SSE, WebSocket,
// long-poll, against the polling the old TornCat did (every member GETs the war every 500 ms, the
// seed's "before") and the seed's optimized polling (every 5 s). One real server on loopback, real
// clients; a member makes calls through POST /api/calls and each client notes when it sees each one.

import { request, Agent } from 'node:http';
import WebSocket from 'ws';
import { loadConfig } from '../src/config.js';
import { BENCH_LIMITS } from './limits.js';
import { createLogger } from '../src/log.js';
import { startServer, type RunningServer } from '../src/server/start-server.js';
import { demoKeyFor, startSimulator } from '../src/simulator/index.js';
import type { Database } from '../src/db/database.js';

export interface FanOutRow {
  database: string;
  transport: string;
  clients: number;
  calls: number;
  /** Milliseconds from sending the call to a client seeing it, over every (client, call). */
  p50: number;
  p99: number;
  max: number;
  /** Every client saw every call. */
  complete: boolean;
  /** HTTP requests the clients made to the server per client-minute while the calls ran. */
  requestsPerClientMinute: number;
}

type Seen = Map<number, number>[]; // per client: seq → time seen

const agent = new Agent({ keepAlive: true, maxSockets: Infinity });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

interface Clients {
  seen: Seen;
  requests(): number;
  close(): void;
}

function sseClients(url: string, tokens: string[], n: number, from: number): Promise<Clients> {
  const seen: Seen = [];
  const reqs: ReturnType<typeof request>[] = [];
  const opened: Promise<void>[] = [];
  for (let i = 0; i < n; i++) {
    const mine = new Map<number, number>();
    seen.push(mine);
    opened.push(
      new Promise((resolve, reject) => {
        const req = request(
          `${url}/events?lastEventId=${from}`,
          { agent, headers: { authorization: `Bearer ${tokens[i % tokens.length]}` } },
          (res) => {
            let buf = '';
            res.setEncoding('utf8');
            res.on('data', (chunk: string) => {
              buf += chunk;
              let k: number;
              while ((k = buf.indexOf('\n\n')) >= 0) {
                const m = /^id: (\d+)$/m.exec(buf.slice(0, k));
                if (m) mine.set(Number(m[1]), performance.now());
                buf = buf.slice(k + 2);
              }
            });
            resolve();
          },
        );
        req.on('error', reject);
        req.end();
        reqs.push(req);
      }),
    );
  }
  return Promise.all(opened).then(() => ({ seen, requests: () => n, close: () => reqs.forEach((r) => r.destroy()) }));
}

function wsClients(url: string, tokens: string[], n: number, from: number): Promise<Clients> {
  const seen: Seen = [];
  const sockets: WebSocket[] = [];
  const opened: Promise<void>[] = [];
  for (let i = 0; i < n; i++) {
    const mine = new Map<number, number>();
    seen.push(mine);
    const ws = new WebSocket(`${url.replace('http', 'ws')}/ws?token=${tokens[i % tokens.length]}&lastEventId=${from}`);
    ws.on('message', (raw) => {
      const id = /"id":(\d+)/.exec(raw.toString());
      if (id) mine.set(Number(id[1]), performance.now());
    });
    sockets.push(ws);
    opened.push(new Promise((resolve, reject) => (ws.once('open', () => resolve()), ws.once('error', reject))));
  }
  return Promise.all(opened).then(() => ({ seen, requests: () => n, close: () => sockets.forEach((s) => s.terminate()) }));
}

async function getJson(url: string, token: string): Promise<any> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, headers: { authorization: `Bearer ${token}` } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve(JSON.parse(body)));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Long-poll clients: each asks again from the last id it got, at once. */
function longPollClients(url: string, tokens: string[], n: number, from: number): Clients {
  const seen: Seen = [];
  let requests = 0;
  let stopped = false;
  for (let i = 0; i < n; i++) {
    const mine = new Map<number, number>();
    seen.push(mine);
    void (async () => {
      let since = from;
      while (!stopped) {
        requests++;
        const r = await getJson(`${url}/api/events?since=${since}&wait=25`, tokens[i % tokens.length]).catch(() => null);
        if (!r || !Array.isArray(r.events)) {
          if (r?.error && !stopped) console.error(`long-poll: ${r.error.code}: ${r.error.message}`);
          await sleep(100);
          continue;
        }
        for (const e of r.events) mine.set(e.id, performance.now());
        since = r.seq;
      }
    })();
  }
  return { seen, requests: () => requests, close: () => (stopped = true) };
}

/** Polling clients: GET /api/war every `everyMs` (each starts at a random phase, like real members). */
function pollingClients(url: string, tokens: string[], n: number, everyMs: number): Clients {
  const seen: Seen = [];
  let requests = 0;
  const timers: NodeJS.Timeout[] = [];
  for (let i = 0; i < n; i++) {
    const mine = new Map<number, number>();
    seen.push(mine);
    const poll = async () => {
      requests++;
      const r = await getJson(`${url}/api/war`, tokens[i % tokens.length]).catch(() => null);
      // A poll sees every change up to the snapshot's seq at once.
      if (r) for (let s = 1; s <= r.seq; s++) if (!mine.has(s)) mine.set(s, performance.now());
    };
    const start = setTimeout(() => {
      void poll();
      timers.push(setInterval(() => void poll(), everyMs));
    }, Math.random() * everyMs);
    timers.push(start);
  }
  return { seen, requests: () => requests, close: () => timers.forEach((t) => clearInterval(t)) };
}

async function callBurst(server: RunningServer, token: string, calls: number, gapMs: number): Promise<Map<number, number>> {
  const sent = new Map<number, number>();
  for (let i = 0; i < calls; i++) {
    const targetId = 3001 + (i % 25);
    const op = Math.floor(i / 25) % 2 === 0 ? 'call' : 'release';
    const t0 = performance.now();
    const res = await fetch(server.url + '/api/calls', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ops: [{ op, targetId }] }),
    });
    const r = (await res.json()) as { seq: number; results?: { ok: boolean }[]; error?: unknown };
    if (!r.results) throw new Error(`POST /api/calls answered ${res.status} ${JSON.stringify(r.error)}`);
    if (r.results[0].ok) sent.set(r.seq, t0);
    await sleep(gapMs);
  }
  return sent;
}

async function measure(
  database: string,
  server: RunningServer,
  tokens: string[],
  transport: string,
  clients: number,
  o: { calls: number; gapMs: number },
): Promise<FanOutRow> {
  // Every member may hold 3 calls; spread the calls over members so none hits the limit.
  const from = (await getJson(`${server.url}/api/war`, tokens[0])).seq as number;
  const open =
    transport === 'SSE'
      ? await sseClients(server.url, tokens, clients, from)
      : transport === 'WebSocket'
        ? await wsClients(server.url, tokens, clients, from)
        : transport === 'long-poll'
          ? longPollClients(server.url, tokens, clients, from)
          : pollingClients(server.url, tokens, clients, transport.startsWith('polling 500') ? 500 : 5000);
  await sleep(300);
  const requestsBefore = open.requests();
  const t0 = performance.now();
  const sent = await callBurst(server, tokens[0], o.calls, o.gapMs);
  // Give the slowest transport time to see the last call (polling: one interval).
  const settle = transport.startsWith('polling 5 s') ? 5500 : transport.startsWith('polling') ? 1000 : 500;
  await sleep(settle);
  const minutes = (performance.now() - t0) / 60_000;
  const requests = open.requests() - requestsBefore;
  open.close();
  const latencies: number[] = [];
  let complete = true;
  for (const mine of open.seen) {
    for (const [seq, at] of sent) {
      const got = mine.get(seq);
      if (got === undefined) complete = false;
      else latencies.push(got - at);
    }
  }
  latencies.sort((a, b) => a - b);
  // Release everything for the next round.
  await fetch(server.url + '/api/calls', {
    method: 'POST',
    headers: { authorization: `Bearer ${tokens[0]}`, 'content-type': 'application/json' },
    body: JSON.stringify({ ops: Array.from({ length: 25 }, (_, i) => ({ op: 'release', targetId: 3001 + i })) }),
  });
  return {
    database,
    transport,
    clients,
    calls: sent.size,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies.at(-1) ?? NaN,
    complete,
    requestsPerClientMinute: transport === 'SSE' || transport === 'WebSocket' ? 0 : requests / clients / minutes,
  };
}

export interface FanOutOptions {
  /** Databases to run on: PGlite always; a postgres:// URL when given. */
  postgresUrl?: string;
  clientCounts?: number[];
  calls?: number;
  gapMs?: number;
}

export async function benchFanOut(o: FanOutOptions = {}): Promise<FanOutRow[]> {
  const rows: FanOutRow[] = [];
  const databases: [string, string][] = [['PGlite', 'memory://']];
  if (o.postgresUrl) databases.push(['PostgreSQL', o.postgresUrl]);
  for (const [name, url] of databases) {
    const sim = await startSimulator({ dynamic: false });
    const config = loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_URL: url,
      TORNCAT_SECRET: 'bench-secret-0123456789-0123456789abcdef',
      TORN_API_URL: sim.url,
      LOG_LEVEL: 'silent',
      MAX_ACTIVE_CALLS_PER_MEMBER: '25',
      ...BENCH_LIMITS,
    });
    const server = await startServer(config, { log: createLogger('silent'), sync: false });
    try {
      await resetTables(server.ctx.db);
      const tokens: string[] = [];
      for (let id = 2001; id <= 2025; id++) {
        const r = await fetch(server.url + '/api/auth', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ apiKey: demoKeyFor(id) }),
        });
        tokens.push(((await r.json()) as { token: string }).token);
      }
      await server.ctx.sync.syncFaction(1001, true);
      for (const clients of o.clientCounts ?? [100, 500]) {
        for (const transport of ['SSE', 'WebSocket', 'long-poll', 'polling 5 s (seed, optimized)', 'polling 500 ms (old TornCat)']) {
          // The old design at 500 clients is 1000 snapshot reads a second: measure it at the smaller count only.
          if (transport.startsWith('polling') && clients > (o.clientCounts ?? [100])[0]) continue;
          rows.push(await measure(name, server, tokens, transport, clients, { calls: o.calls ?? 20, gapMs: o.gapMs ?? 100 }));
        }
      }
    } finally {
      await server.close();
      await sim.close();
    }
  }
  return rows;
}

/** A benchmark database may hold an earlier run's rows: start from an empty war. */
async function resetTables(db: Database): Promise<void> {
  await db.query('truncate calls, targets, wars, sessions, api_keys, players, factions, faction_events, faction_event_counters cascade');
}

export function formatFanOut(rows: FanOutRow[]): string {
  const head = ['database', 'transport', 'clients', 'calls', 'p50 ms', 'p99 ms', 'max ms', 'all seen', 'requests/client/min'];
  const body = rows.map((r) => [
    r.database,
    r.transport,
    String(r.clients),
    String(r.calls),
    r.p50.toFixed(1),
    r.p99.toFixed(1),
    r.max.toFixed(1),
    r.complete ? 'yes' : 'NO',
    r.requestsPerClientMinute.toFixed(1),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => '| ' + cells.map((c, i) => c.padEnd(widths[i])).join(' | ') + ' |';
  return [line(head), '|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|', ...body.map(line)].join('\n');
}
