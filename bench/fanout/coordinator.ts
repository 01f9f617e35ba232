// The fan-out section: for each client count and each server (TornCat, the floors, socket.io) in 1
// or more processes, the server and its load generators in processes of their own; warm-up events,
// then measured events at a steady pace. Per run: commit-to-client percentiles, whether every client
// got every event exactly once in order, the server's CPU per event and its RSS per idle client
// (every process of the server summed).

import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { nextMessage, spawnChild, type ClientKind, type GeneratorReply, type PeerKind, type PeerReply } from './wire.js';

export interface ScaleOptions {
  clientCounts: number[];
  warmup: number;
  events: number;
  intervalMs: number;
  /** How long the server's idle CPU is measured, clients connected, before the measured events. */
  idleMs: number;
  /** Clients per generator process. */
  perGenerator: number;
  /** TornCat's database: a postgres:// URL, else PGlite in memory. */
  postgresUrl?: string;
  /** Write a V8 CPU profile of each server process, over the measured events, into this folder. */
  cpuProfDir?: string;
  /** Only the setups whose name contains one of these. */
  only?: string[];
  /** Each server runs in each of these numbers of processes (node:cluster workers sharing the port). */
  workers: number[];
  log?: (line: string) => void;
}

export interface ScaleRow {
  setup: string;
  server: PeerKind;
  transport: ClientKind;
  /** Processes serving the clients: 1, or node:cluster workers (their primary is counted too). */
  workers: number;
  clients: number;
  events: number;
  database?: string;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** Every client got every measured event exactly once, in order. */
  allDelivered: boolean;
  clientsComplete: number;
  minDelivered: number;
  /** The server's CPU seconds per event, from the first measured commit until every client had the last. */
  cpuPerEvent: number;
  /** How much of that CPU was user time (the rest is the kernel's, mostly the socket writes). */
  userShare: number;
  /** Events delivered (clients × events) per CPU-second of the server. */
  deliveredPerCpuSecond: number;
  /** Server RSS growth per connected idle client, KiB (after a GC). */
  rssPerIdleClientKiB: number;
  /** The server's CPU use with every client connected and no event (0.01: 1 % of a core). */
  idleCpuShare: number;
  /** The generators' CPU seconds per event (they share the machine). */
  generatorCpuPerEvent: number;
  /**
   * Each measured event's median and slowest commit-to-client time (when every client got every
   * event): rising along the run, the machine fell behind the pace; flat, each event costs that.
   */
  perEvent?: { p50: number; p99: number; max: number }[];
  /**
   * The median over the measured events of each event's own p99: what one event's fan-out costs,
   * with the few events another job on the machine delayed left out (the p99 above keeps them).
   */
  eventP99: number;
  /** The measured events' mean spacing, commit to commit: the pace asked for, unless the server held it back. */
  spacingMs: number;
  /** The machine's 1-minute load average when the run ended (other work skews the figures). */
  load: number;
  error?: string;
  /** Why it was not run: this machine cannot (one process may not hold that many sockets). */
  notRun?: string;
}

interface Setup {
  name: string;
  server: PeerKind;
  transport: ClientKind;
  workers: number;
}

/** Every server with the clients it is measured with, in one process. */
const SERVERS: Omit<Setup, 'workers'>[] = [
  { name: 'TornCat SSE', server: 'torncat', transport: 'sse' },
  { name: 'floor SSE res.write', server: 'floor-write', transport: 'sse' },
  { name: 'floor SSE chunk', server: 'floor-chunk', transport: 'sse' },
  { name: 'TornCat WebSocket', server: 'torncat', transport: 'ws' },
  { name: 'floor WebSocket frame', server: 'floor-chunk', transport: 'ws' },
  { name: 'socket.io room', server: 'socketio', transport: 'socketio' },
];

/**
 * Each server in each number of processes, side by side. The res.write floor runs in one only: it
 * is there to say what the lower floor saves, which more processes do not change.
 */
function setups(workers: number[]): Setup[] {
  return SERVERS.flatMap((s) =>
    workers
      .filter((w) => w === 1 || s.server !== 'floor-write')
      .map((w) => ({ ...s, workers: w, name: w === 1 ? s.name : `${s.name} ×${w}` })),
  );
}

function peerFile(setup: Setup, postgresUrl: string | undefined): { file: string; args: string[] } {
  const w = String(setup.workers);
  if (setup.server === 'torncat') return { file: './peer-torncat.ts', args: [postgresUrl ?? '', w] };
  if (setup.server === 'socketio') return { file: './peer-socketio.ts', args: [w] };
  return { file: './peer-floor.ts', args: [setup.server === 'floor-write' ? 'write' : 'chunk', w] };
}

/** The descriptors one process may open at most here (the children's soft limit is raised to it). */
const descriptorLimit = Number(spawnSync('/bin/sh', ['-c', 'ulimit -Hn'], { encoding: 'utf8' }).stdout.trim()) || Infinity;
/** What a server process holds besides its clients: listening socket, database pool, IPC, files. */
const DESCRIPTOR_SLACK = 100;

/** A run this machine cannot do. */
class NotRun extends Error {}

function percentile(sorted: Float32Array, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => (child.kill('SIGKILL'), resolve()), 10_000);
    child.once('exit', () => (clearTimeout(timer), resolve()));
  });
}

async function runOne(setup: Setup, clients: number, o: ScaleOptions, runIndex: number): Promise<ScaleRow> {
  const perProcess = Math.ceil(clients / setup.workers);
  if (perProcess + DESCRIPTOR_SLACK > descriptorLimit)
    throw new NotRun(
      `${perProcess} sockets in one process pass this machine's descriptor limit (hard limit ${descriptorLimit} per process)`,
    );
  const { file, args } = peerFile(setup, o.postgresUrl);
  // Every server process (the workers too: node:cluster gives them these flags) loads the probe.
  const probes = mkdtempSync(`${tmpdir()}/fanout-probe-`);
  const flags = ['--expose-gc', '--import', fileURLToPath(new URL('./probe.ts', import.meta.url))];
  const peer = spawnChild(file, args, flags, { FANOUT_PROBE_DIR: probes });
  const generators: ChildProcess[] = [];
  const peerAsk = <T extends PeerReply>(m: object, kind: T['t']) => {
    const p = nextMessage<T>(peer, kind);
    peer.send(m);
    return p;
  };
  const askAll = <T extends GeneratorReply>(m: object, kind: T['t']) =>
    Promise.all(
      generators.map((g) => {
        const p = nextMessage<T>(g, kind);
        g.send(m);
        return p;
      }),
    );
  try {
    const ready = await nextMessage<Extract<PeerReply, { t: 'ready' }>>(peer, 'ready');
    const base = await peerAsk<Extract<PeerReply, { t: 'rss' }>>({ t: 'rss' }, 'rss');
    const n = Math.max(1, Math.ceil(clients / o.perGenerator));
    const connected: Promise<Extract<GeneratorReply, { t: 'connected' }>>[] = [];
    for (let g = 0; g < n; g++) {
      const count = Math.floor(clients / n) + (g < clients % n ? 1 : 0);
      // Each run and generator connects from its own loopback address, so sockets of earlier runs
      // still in TIME_WAIT never collide with its ports.
      const localAddress = `127.${1 + (runIndex % 250)}.${Math.floor(g / 250)}.${1 + (g % 250)}`;
      const child = spawnChild('./generator.ts', [
        JSON.stringify({ kind: setup.transport, url: ready.url, count, tokens: ready.tokens, localAddress }),
      ]);
      generators.push(child);
      connected.push(nextMessage(child, 'connected'));
    }
    const conn = await Promise.all(connected);
    const failed = conn.reduce((a, c) => a + c.failed, 0);
    if (failed) throw new Error(`${failed} of ${clients} clients could not connect: ${conn.find((c) => c.firstError)?.firstError}`);

    // Warm-up: not measured; once every client has the last one, every client is live.
    const warm = await peerAsk<Extract<PeerReply, { t: 'published' }>>(
      { t: 'publish', n: o.warmup, intervalMs: o.intervalMs },
      'published',
    );
    const lastWarm = warm.seqs.at(-1)!;
    const live = await askAll<Extract<GeneratorReply, { t: 'reached' }>>({ t: 'waitFor', seq: lastWarm, timeoutMs: 60_000 }, 'reached');
    const notLive = live.reduce((a, r) => a + r.behind, 0);
    if (notLive) throw new Error(`${notLive} clients did not get the warm-up events`);
    await new Promise((r) => setTimeout(r, 500));
    const idle = await peerAsk<Extract<PeerReply, { t: 'rss' }>>({ t: 'rss' }, 'rss');
    // What the server spends with every client connected and nothing to send (timers, keep-alives).
    const idle0 = await peerAsk<Extract<PeerReply, { t: 'cpu' }>>({ t: 'cpu' }, 'cpu');
    await new Promise((r) => setTimeout(r, o.idleMs));
    const idle1 = await peerAsk<Extract<PeerReply, { t: 'cpu' }>>({ t: 'cpu' }, 'cpu');

    for (const g of generators) g.send({ t: 'measure', first: lastWarm + 1, count: o.events });
    if (o.cpuProfDir) await peerAsk({ t: 'profile' }, 'profiled');
    const cpu0 = await peerAsk<Extract<PeerReply, { t: 'cpu' }>>({ t: 'cpu' }, 'cpu');
    const pub = await peerAsk<Extract<PeerReply, { t: 'published' }>>({ t: 'publish', n: o.events, intervalMs: o.intervalMs }, 'published');
    if (pub.seqs.some((s, k) => s !== lastWarm + 1 + k))
      throw new Error(`the server published seqs ${pub.seqs.join(',')} after ${lastWarm}`);
    await askAll({ t: 'waitFor', seq: pub.seqs.at(-1)!, timeoutMs: 30_000 }, 'reached');
    const cpu1 = await peerAsk<Extract<PeerReply, { t: 'cpu' }>>({ t: 'cpu' }, 'cpu');
    if (o.cpuProfDir) {
      mkdirSync(o.cpuProfDir, { recursive: true });
      await peerAsk({ t: 'profile', file: `${o.cpuProfDir}/${setup.name.replace(/[^a-z0-9]+/gi, '-')}-${clients}` }, 'profiled');
    }
    const results = await askAll<Extract<GeneratorReply, { t: 'result' }>>({ t: 'collect', commits: pub.commits }, 'result');

    const parts = results.map((r) => {
      const bytes = Buffer.from(r.latencies, 'base64');
      return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
    });
    const all = new Float32Array(parts.reduce((a, p) => a + p.length, 0));
    let at = 0;
    for (const p of parts) {
      all.set(p, at);
      at += p.length;
    }
    const perEvent = results.every((r, g) => r.complete * o.events === parts[g].length) ? eventTimes(parts, o.events) : undefined;
    all.sort();
    const cpuSeconds = (cpu1.cpuMs - cpu0.cpuMs) / 1000;
    const clientsComplete = results.reduce((a, r) => a + r.complete, 0);
    return {
      setup: setup.name,
      server: setup.server,
      transport: setup.transport,
      workers: setup.workers,
      clients,
      events: o.events,
      database: ready.database,
      p50: percentile(all, 50),
      p95: percentile(all, 95),
      p99: percentile(all, 99),
      max: all.length ? all[all.length - 1] : NaN,
      allDelivered: clientsComplete === clients,
      clientsComplete,
      minDelivered: Math.min(...results.map((r) => r.minDelivered)),
      cpuPerEvent: cpuSeconds / o.events,
      userShare: (cpu1.userMs - cpu0.userMs) / (cpu1.cpuMs - cpu0.cpuMs),
      deliveredPerCpuSecond: (clientsComplete * o.events) / cpuSeconds,
      rssPerIdleClientKiB: (idle.rss - base.rss) / clients / 1024,
      idleCpuShare: (idle1.cpuMs - idle0.cpuMs) / (idle1.at - idle0.at),
      generatorCpuPerEvent: results.reduce((a, r) => a + r.cpuMs, 0) / 1000 / o.events,
      load: loadavg()[0],
      perEvent,
      eventP99: perEvent ? perEvent.map((e) => e.p99).sort((a, b) => a - b)[perEvent.length >> 1] : NaN,
      spacingMs: (pub.commits.at(-1)! - pub.commits[0]) / Math.max(1, pub.commits.length - 1),
    };
  } finally {
    // The clients go first, so that a server's workers see them close while their primary is there.
    for (const g of generators) if (g.connected) g.send({ t: 'stop' });
    await Promise.all(generators.map(exited));
    if (peer.connected) peer.send({ t: 'stop' });
    await exited(peer);
    rmSync(probes, { recursive: true, force: true });
  }
}

/** Per measured event, the median, p99 and slowest latency over every client (each part: its clients' `events` latencies in turn). */
function eventTimes(parts: Float32Array[], events: number): { p50: number; p99: number; max: number }[] {
  return Array.from({ length: events }, (_, k) => {
    const times: number[] = [];
    for (const p of parts) for (let i = k; i < p.length; i += events) times.push(p[i]);
    times.sort((a, b) => a - b);
    const at = (q: number) => Number(times[Math.min(times.length - 1, Math.floor(q * times.length))].toFixed(1));
    return { p50: at(0.5), p99: at(0.99), max: Number(times[times.length - 1].toFixed(1)) };
  });
}

export async function benchFanOutScale(o: ScaleOptions): Promise<ScaleRow[]> {
  const rows: ScaleRow[] = [];
  let runIndex = 0;
  for (const clients of o.clientCounts) {
    for (const setup of setups(o.workers)) {
      if (o.only?.length && !o.only.some((s) => setup.name.toLowerCase().includes(s.toLowerCase()))) continue;
      const started = Date.now();
      let row: ScaleRow;
      try {
        row = await runOne(setup, clients, o, runIndex++);
      } catch (e) {
        row = {
          setup: setup.name,
          server: setup.server,
          transport: setup.transport,
          workers: setup.workers,
          clients,
          events: o.events,
          p50: NaN,
          p95: NaN,
          p99: NaN,
          max: NaN,
          allDelivered: false,
          clientsComplete: 0,
          minDelivered: 0,
          cpuPerEvent: NaN,
          userShare: NaN,
          deliveredPerCpuSecond: NaN,
          rssPerIdleClientKiB: NaN,
          idleCpuShare: NaN,
          generatorCpuPerEvent: NaN,
          load: loadavg()[0],
          spacingMs: NaN,
          eventP99: NaN,
          ...(e instanceof NotRun ? { notRun: e.message } : { error: e instanceof Error ? e.message : String(e) }),
        };
      }
      o.log?.(
        `  ${row.setup} × ${clients}: ${row.notRun ? 'not run: ' + row.notRun : row.error ? 'FAILED ' + row.error : `p99 ${row.p99.toFixed(1)} ms, ${row.cpuPerEvent.toFixed(4)} CPU-s/event (${(row.userShare * 100).toFixed(0)} % user), ${row.rssPerIdleClientKiB.toFixed(1)} KiB/client`}${row.perEvent ? `, median of the first event ${row.perEvent[0].p50} ms, of the last ${row.perEvent.at(-1)!.p50} ms` : ''} (${((Date.now() - started) / 1000).toFixed(0)} s, load ${row.load.toFixed(2)})`,
      );
      rows.push(row);
    }
  }
  return rows;
}
