// `npm run bench -- workers`: what each worker's own LISTEN connection costs (issue 22 item 1).
// Under WORKERS every worker listens and, on each NOTIFY, reads the new events from the log for
// its own subscribers. A real `torncat serve` with 1, 2 and 4 workers on PostgreSQL, SSE clients
// spread over the workers, one member making calls one at a time: per event, the database's
// transactions and active time, the node's CPU (primary and workers), and the call → client latency.
// The growth from one worker to the next is the price of one more LISTEN; one LISTEN per machine
// feeding its workers over IPC would save that and add an IPC hop to every event.

import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { demoKeyFor, startSimulator } from '../src/simulator/index.js';
import { startServerProcess, type ServerProcess } from '../test/helpers/server-process.js';
import { LeanStream } from '../test/helpers/stream-clients.js';
import { databaseTime } from '../test/scale/many-factions-war.js';
import { workerPids } from '../test/cluster/workers.js';
import { benchPostgres } from './bench-database.js';
import { BENCH_LIMITS } from './limits.js';

export interface WorkersRow {
  workers: number;
  clients: number;
  events: number;
  /** Database transactions per event (the call's own, plus every worker's read of the log), less the idle rate. */
  dbTransactionsPerEvent: number;
  /** Milliseconds PostgreSQL spent running statements, per event. */
  dbActiveMsPerEvent: number;
  /** CPU ms of the node's processes (primary and workers) per event. */
  nodeCpuMsPerEvent: number;
  latencyP50: number;
  latencyP99: number;
  /** Resident memory of each worker (MiB), and the primary's (0 without workers). */
  workerRssMiB: number[];
  primaryRssMiB: number;
}

export interface WorkersOptions {
  workerCounts?: number[];
  /** Spread over the workers; the same for every row, so a row's growth is the workers' alone. */
  clients?: number;
  events?: number;
  /** The idle window measured first, whose rates are taken off. @default 10000 */
  idleMs?: number;
}

const TICKS_PER_S = 100;

function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(f[11]) + Number(f[12])) / TICKS_PER_S) * 1000;
}

function rssMiB(pid: number): number {
  const m = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

async function measure(workers: number, o: Required<WorkersOptions>): Promise<WorkersRow> {
  const database = await benchPostgres();
  if (!database) throw new Error('the workers bench needs PostgreSQL (BENCH_DATABASE_URL, default the local server)');
  const sim = await startSimulator({ dynamic: false });
  let server: ServerProcess | undefined;
  const streams: LeanStream[] = [];
  try {
    server = await startServerProcess({
      WORKERS: String(workers),
      DATABASE_URL: database.url,
      TORNCAT_SECRET: 'bench-secret-0123456789-0123456789abcdef',
      TORN_API_URL: sim.url,
      // The poller reads the war once, then stays quiet: every event of the window is a call's.
      WAR_CHECK_INTERVAL_MS: '3600000',
      TARGET_STATUS_REFRESH_INTERVAL_MS: '3600000',
      OWN_FACTION_REFRESH_INTERVAL_MS: '3600000',
      ...BENCH_LIMITS,
    });
    const api = async (path: string, token?: string, body?: unknown) => {
      const r = await fetch(server!.url + path, {
        method: body === undefined ? 'GET' : 'POST',
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: r.status, body: (await r.json()) as any };
    };
    const auth = await api('/api/auth', undefined, { apiKey: demoKeyFor(2001) });
    if (auth.status !== 200) throw new Error(`sign-in: ${JSON.stringify(auth.body)}`);
    const token = auth.body.token as string;
    let seq = 0;
    for (const deadline = Date.now() + 30_000; ;) {
      const war = await api('/api/war', token);
      if (war.status === 200 && war.body.war && war.body.targets.length > 0) {
        seq = war.body.seq;
        break;
      }
      if (Date.now() > deadline) throw new Error('the poller never read the war');
      await new Promise((r) => setTimeout(r, 100));
    }
    // Let the first sync's writes settle before the window opens.
    await new Promise((r) => setTimeout(r, 1000));
    seq = (await api('/api/war', token)).body.seq;
    for (let i = 0; i < o.clients; i++) {
      const s = new LeanStream(server.url, token, 'sse', seq, { timed: 'all' });
      await s.open();
      streams.push(s);
    }
    const pids = [server.pid, ...(workers > 1 ? workerPids(server.logs as never).values() : [])];
    if (workers > 1 && pids.length !== workers + 1) throw new Error(`found ${pids.length - 1} of ${workers} workers`);
    const cpuNow = () => pids.reduce((n, pid) => n + cpuMs(pid), 0);
    // What the node costs with no event (timers, catch-up reads, lock checks, keep-alives): taken off the window's figures.
    const idleStart = performance.now();
    const idleCpu0 = cpuNow();
    const idleDb0 = await databaseTime(database.url);
    await new Promise((r) => setTimeout(r, o.idleMs));
    const idleDb1 = await databaseTime(database.url);
    const idleMs = performance.now() - idleStart;
    const idle = {
      cpu: (cpuNow() - idleCpu0) / idleMs,
      commits: (idleDb1.commits - idleDb0.commits) / idleMs,
      activeMs: (idleDb1.activeMs - idleDb0.activeMs) / idleMs,
    };
    const windowStart = performance.now();
    const cpu0 = cpuNow();
    const db0 = await databaseTime(database.url);
    const sent = new Map<number, number>();
    for (let i = 0; i < o.events; i++) {
      const at = performance.now();
      const r = await api('/api/calls', token, { ops: [{ op: i % 2 === 0 ? 'call' : 'release', targetId: 3010 }] });
      if (r.status !== 200 || !r.body.results[0].ok) throw new Error(`call ${i}: ${JSON.stringify(r.body)}`);
      sent.set(r.body.seq, at);
      await new Promise((res) => setTimeout(res, 20));
    }
    const last = Math.max(...sent.keys());
    for (const deadline = Date.now() + 30_000; streams.some((s) => s.lastId < last);) {
      if (Date.now() > deadline) throw new Error('the streams never reached the last call');
      await new Promise((r) => setTimeout(r, 50));
    }
    const cpu1 = cpuNow();
    const db1 = await databaseTime(database.url);
    const windowMs = performance.now() - windowStart;
    const latencies: number[] = [];
    for (const s of streams) {
      if (s.faults.length) throw new Error(`a stream lost its order: ${s.faults.slice(0, 3).join(', ')}`);
      for (const [id, at] of sent) {
        const got = s.arrivals.get(id);
        if (got) latencies.push(got.at - at);
      }
    }
    latencies.sort((a, b) => a - b);
    const events = o.events;
    return {
      workers,
      clients: streams.length,
      events,
      dbTransactionsPerEvent: (db1.commits - db0.commits - idle.commits * windowMs) / events,
      dbActiveMsPerEvent: (db1.activeMs - db0.activeMs - idle.activeMs * windowMs) / events,
      nodeCpuMsPerEvent: (cpu1 - cpu0 - idle.cpu * windowMs) / events,
      latencyP50: percentile(latencies, 50),
      latencyP99: percentile(latencies, 99),
      workerRssMiB: workers > 1 ? pids.slice(1).map(rssMiB) : [rssMiB(server.pid)],
      primaryRssMiB: workers > 1 ? rssMiB(server.pid) : 0,
    };
  } finally {
    for (const s of streams) s.stop();
    await server?.stop();
    await sim.close();
    await database.drop();
  }
}

export async function benchWorkers(options: WorkersOptions = {}): Promise<WorkersRow[]> {
  const o: Required<WorkersOptions> = { workerCounts: [1, 2, 4], clients: 100, events: 300, idleMs: 10_000, ...options };
  const rows: WorkersRow[] = [];
  for (const n of o.workerCounts) rows.push(await measure(n, o));
  return rows;
}

export function formatWorkers(rows: WorkersRow[]): string {
  const head =
    '| workers | clients | events | DB transactions / event | DB active ms / event | node CPU ms / event | call → client p50 / p99 ms | RSS MiB: workers (primary) |';
  const line = '|---:|---:|---:|---:|---:|---:|---:|---|';
  const body = rows.map(
    (r) =>
      `| ${r.workers} | ${r.clients} | ${r.events} | ${r.dbTransactionsPerEvent.toFixed(2)} | ${r.dbActiveMsPerEvent.toFixed(3)} | ${r.nodeCpuMsPerEvent.toFixed(2)} | ${r.latencyP50.toFixed(1)} / ${r.latencyP99.toFixed(1)} | ${r.workerRssMiB.map((m) => m.toFixed(0)).join(', ')}${r.primaryRssMiB ? ` (${r.primaryRssMiB.toFixed(0)})` : ''} |`,
  );
  return [head, line, ...body].join('\n');
}

/** A process that answers every IPC message at once, as the primary answers a worker's limit request. */
const ECHO = "process.on('message', (m) => process.send({ torncat: 'reply', id: m.id }));";

/**
 * The round trip of a worker's request to the primary (the limits, the stream caps): `n` requests
 * in a row over a Node IPC channel, the cluster's own kind, to a process that answers at once.
 */
export async function benchIpcRoundTrip(n = 20_000): Promise<{ p50: number; p99: number }> {
  const child = spawn(process.execPath, ['-e', ECHO], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const times: number[] = [];
  try {
    for (let id = 0; id < n; id++) {
      const at = performance.now();
      await new Promise<void>((resolve) => {
        child.once('message', () => resolve());
        child.send({ torncat: 'take', id, limit: 'callOps', key: '2001', cost: 1 });
      });
      times.push(performance.now() - at);
    }
  } finally {
    child.kill();
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99) };
}
