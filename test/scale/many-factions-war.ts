// Many factions at war at once on one node, every member signed in and streaming: what the scale
// test checks and `npm run bench -- many-factions` measures. The node is a real `torncat serve`
// process (so its memory is its own, and 10,000 streams fit the file limit on both sides); the
// Torn simulator plays N factions at war two by two (src/simulator/many-factions.ts).

import { Agent, request } from 'node:http';
import pg from 'pg';
import { demoKeyFor, manyFactionsLayout, startSimulator, type GeneratedFaction, type Simulator } from '../../src/simulator/index.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { LeanStream } from '../helpers/stream-clients.js';
import { readJsonResponse } from '../helpers/json-response.js';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const agent = new Agent({ keepAlive: true, maxSockets: 64 });

export interface ManyFactionsWarOptions {
  factions: number;
  members: number;
  /** postgres://… or memory:// (PGlite inside the server process). */
  databaseUrl: string;
  /** More server settings (intervals, budgets). */
  env?: Record<string, string>;
  /** Sign-ins (and stream openings) in flight at once. @default 32 */
  concurrency?: number;
  /** Longest to wait for every faction's war and targets to be read once everyone signed in. @default 180000 */
  firstSyncMs?: number;
  /** Past `firstSyncMs`, go on with the factions still unread (listed in `unread`) instead of failing. @default false */
  allowUnread?: boolean;
  /** Statuses and scores evolve on their own (the bench); static, only what the test sets changes. @default true */
  dynamic?: boolean;
}

export interface FactionAtWar extends GeneratedFaction {
  tokens: string[];
  /** The faction's seq when its streams opened. */
  from: number;
  streams: LeanStream[];
}

export interface ManyFactionsWar {
  sim: Simulator;
  server: ServerProcess;
  factions: FactionAtWar[];
  /** Milliseconds: every member signed in; every faction's targets read; every stream open. */
  timings: { signIn: number; firstSync: number; streams: number };
  /** Factions whose war was still unread after `firstSyncMs` (with `allowUnread`). */
  unread: number[];
  api(path: string, init?: { token?: string; body?: unknown }): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

/** JSON over the shared keep-alive agent: thousands of requests without a socket each. */
function call(base: string, path: string, init: { token?: string; body?: unknown } = {}): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = {};
    if (init.token) headers.authorization = `Bearer ${init.token}`;
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    const req = request(base + path, { agent, method: init.body === undefined ? 'GET' : 'POST', headers }, (res) => {
      readJsonResponse(res).then(resolve, reject);
    });
    req.on('error', reject);
    req.end(init.body === undefined ? undefined : JSON.stringify(init.body));
  });
}

/** Runs `fn` over `items`, `n` at a time. */
export async function inParallel<T>(items: readonly T[], n: number, fn: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        await fn(items[i], i);
      }
    }),
  );
}

export async function startManyFactionsWar(o: ManyFactionsWarOptions): Promise<ManyFactionsWar> {
  const layout = manyFactionsLayout({ factions: o.factions, members: o.members });
  const sim = await startSimulator({ manyFactions: { factions: o.factions, members: o.members }, dynamic: o.dynamic ?? true });
  let server: ServerProcess;
  try {
    server = await startServerProcess({
      DATABASE_URL: o.databaseUrl,
      TORN_API_URL: sim.url,
      TORNCAT_SECRET: 'test-secret-0123456789abcdef-0123456789',
      SIGN_IN_LIMIT_PER_MIN: '1000000',
      CALL_OPS_LIMIT_PER_MIN: '1000000',
      STREAMS_PER_IP: '1000000',
      ...o.env,
    });
  } catch (e) {
    await sim.close();
    throw e;
  }
  const api = (path: string, init?: { token?: string; body?: unknown }) => call(server.url, path, init);
  const factions: FactionAtWar[] = layout.map((f) => ({ ...f, tokens: [], from: 0, streams: [] }));
  const close = async () => {
    for (const f of factions) for (const s of f.streams) s.stop();
    await server.stop();
    await sim.close();
  };
  try {
    const concurrency = o.concurrency ?? 32;
    let started = performance.now();
    const members = factions.flatMap((f) => f.memberIds.map((id, i) => ({ f, id, i })));
    await inParallel(members, concurrency, async ({ f, id, i }) => {
      const r = await api('/api/auth', { body: { apiKey: demoKeyFor(id) } });
      if (r.status !== 200) throw new Error(`sign-in of ${id} answered ${r.status} ${JSON.stringify(r.body)}`);
      f.tokens[i] = r.body.token;
    });
    const signIn = performance.now() - started;

    // Signing in pokes the poller: every faction's war and its enemy's members get read.
    started = performance.now();
    const pending = new Set(factions);
    const deadline = Date.now() + (o.firstSyncMs ?? 180_000);
    while (pending.size > 0) {
      await inParallel([...pending], concurrency, async (f) => {
        const war = await api('/api/war', { token: f.tokens[0] });
        if (war.status === 200 && war.body.war?.id === f.warId && war.body.targets.length === o.members) pending.delete(f);
      });
      if (pending.size === 0) break;
      if (Date.now() > deadline && o.allowUnread) break;
      if (Date.now() > deadline)
        throw new Error(`${pending.size} factions never had their war read, e.g. ${[...pending].slice(0, 5).map((f) => f.id)}`);
      await sleep(500);
    }
    const firstSync = performance.now() - started;

    started = performance.now();
    await inParallel(factions, 4, async (f) => {
      const war = await api('/api/war', { token: f.tokens[0] });
      f.from = war.body.seq;
      // Half the members on SSE, half on WebSocket: both transports carry the load.
      f.streams = f.tokens.map((t, i) => new LeanStream(server.url, t, i % 2 === 0 ? 'sse' : 'ws', f.from, { timed: 'all' }));
      await inParallel(f.streams, concurrency, (s) => s.open());
    });
    const streams = performance.now() - started;
    const unread = [...pending].map((f) => f.id);
    return { sim, server, factions, timings: { signIn, firstSync, streams }, unread, api, close };
  } catch (e) {
    await close();
    throw e;
  }
}

/** The faction of one of the generated members' keys (`demo` or `alt` + the padded player id), or undefined. */
export function factionOfKey(war: ManyFactionsWar, key: string): FactionAtWar | undefined {
  const playerId = Number(key.slice(-12));
  return war.factions.find((f) => f.memberIds[0] <= playerId && playerId <= f.memberIds[f.memberIds.length - 1]);
}

/** Torn requests the simulator counted, by generated faction (the key's owner's) and in all. */
export async function tornRequests(war: ManyFactionsWar): Promise<{ total: number; byFaction: Map<number, number> }> {
  const stats = (await (await fetch(war.sim.url + '/__sim/stats')).json()) as { total: number; byKey: Record<string, number> };
  const byFaction = new Map<number, number>(war.factions.map((f) => [f.id, 0]));
  for (const [key, n] of Object.entries(stats.byKey)) {
    const f = factionOfKey(war, key);
    if (f) byFaction.set(f.id, byFaction.get(f.id)! + n);
  }
  return { total: stats.total, byFaction };
}

/** The server's memory as its /metrics reports it, in MiB. */
export async function serverMemory(war: ManyFactionsWar): Promise<{ rssMiB: number; heapMiB: number }> {
  const text = String((await war.api('/metrics')).body);
  const metric = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN) / 2 ** 20;
  return { rssMiB: metric('torncat_process_resident_memory_bytes'), heapMiB: metric('torncat_nodejs_heap_size_used_bytes') };
}

/**
 * What PostgreSQL says about a database (its own counters, from a connection of our own): time
 * spent running statements and inside open transactions between them, and transactions committed.
 */
export async function databaseTime(databaseUrl: string): Promise<{ activeMs: number; inTransactionMs: number; commits: number }> {
  const c = new pg.Client({ connectionString: databaseUrl });
  await c.connect();
  try {
    const r = await c.query(
      `select active_time, idle_in_transaction_time, xact_commit from pg_stat_database where datname = current_database()`,
    );
    const row = r.rows[0];
    return { activeMs: Number(row.active_time), inTransactionMs: Number(row.idle_in_transaction_time), commits: Number(row.xact_commit) };
  } finally {
    await c.end();
  }
}

/** Counts the NOTIFYs the database sends on TornCat's channel while it runs. */
export async function countNotifies(databaseUrl: string): Promise<{ count(): number; close(): Promise<void> }> {
  const c = new pg.Client({ connectionString: databaseUrl });
  await c.connect();
  let n = 0;
  c.on('notification', () => n++);
  await c.query('listen torncat_events');
  return { count: () => n, close: () => c.end() };
}

/** Every stream of every faction has reached its faction's head seq (or throws after `ms`). */
export async function waitStreamsAtHead(war: ManyFactionsWar, ms = 60_000): Promise<Map<number, number>> {
  const heads = new Map<number, number>();
  await inParallel(war.factions, 16, async (f) => {
    const r = await war.api('/api/war', { token: f.tokens[0] });
    heads.set(f.id, r.body.seq);
  });
  const deadline = Date.now() + ms;
  for (;;) {
    const behind = war.factions.flatMap((f) => f.streams.filter((s) => s.lastId < heads.get(f.id)!));
    if (behind.length === 0) return heads;
    if (Date.now() > deadline)
      throw new Error(
        `${behind.length} streams short of their faction's head after ${ms} ms, e.g. ${behind[0].kind} at ${behind[0].lastId}`,
      );
    await sleep(100);
  }
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}
