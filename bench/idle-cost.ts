// `npm run bench -- idle-cost`: where TornCat's CPU goes while every client sits idle (issue 22 item 2).
// The real server on PostgreSQL (else PGlite) in this process, SSE clients in a child process; the
// server's own CPU seconds over a window, for: no clients (the fixed timers), N clients with the
// bench's 60 s keep-alive, and N clients with a short one, whose difference over the difference in
// beats per second is the cost of one beat.
import { fork } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/log.js';
import { startServer } from '../src/server/start-server.js';
import { demoKeyFor, startSimulator } from '../src/simulator/index.js';
import { benchPostgres } from './bench-database.js';
import { BENCH_LIMITS } from './limits.js';

export interface IdleRow {
  clients: number;
  heartbeatMs: number;
  /** Keep-alive writes per second this setting asks for. */
  beatsPerSecond: number;
  /** Server CPU (user+system) over the window, as a share of one core. */
  cpuShare: number;
}

// 50 connections opening at a time: thousands at once overflow the listen backlog (ECONNRESET).
const CLIENT_SCRIPT = `
const http = require('node:http');
const [url, token, n] = process.argv.slice(2);
let started = 0, open = 0;
function next() {
  if (started >= Number(n)) return;
  started++;
  http.get(url + '/events?token=' + token, (res) => {
    res.on('data', () => {});
    if (++open === Number(n)) process.send('open');
    next();
  }).on('error', (e) => { console.error(e.message); process.exit(1); });
}
for (let i = 0; i < 50; i++) next();
`;

async function measure(o: { databaseUrl: string; simUrl: string; clients: number; heartbeatMs: number; windowMs: number }): Promise<IdleRow> {
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: o.databaseUrl,
    TORNCAT_SECRET: 'bench-secret-0123456789-0123456789abcdef',
    TORN_API_URL: o.simUrl,
    LOG_LEVEL: 'silent',
    ...BENCH_LIMITS,
  });
  const server = await startServer(config, { log: createLogger('silent'), sync: false, heartbeatMs: o.heartbeatMs });
  try {
    const r = await fetch(server.url + '/api/auth', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ apiKey: demoKeyFor(2001) }),
    });
    if (!r.ok) throw new Error(`sign-in: ${r.status} ${await r.text()}`);
    const { token } = (await r.json()) as { token: string };
    const script = join(tmpdir(), 'torncat-idle-clients.cjs');
    writeFileSync(script, CLIENT_SCRIPT);
    const child = o.clients > 0 ? fork(script, [server.url, token, String(o.clients)]) : undefined;
    try {
      if (child) await new Promise<void>((ok, fail) => {
        child.once('message', () => ok());
        child.once('exit', (code) => fail(new Error(`clients exited ${code}`)));
      });
      await new Promise((r) => setTimeout(r, 2000)); // the connections' own start settles
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      await new Promise((r) => setTimeout(r, o.windowMs));
      const c = process.cpuUsage(c0);
      const ms = performance.now() - t0;
      return {
        clients: o.clients,
        heartbeatMs: o.heartbeatMs,
        beatsPerSecond: (o.clients * 1000) / o.heartbeatMs,
        cpuShare: (c.user + c.system) / 1000 / ms,
      };
    } finally {
      child?.kill();
    }
  } finally {
    await server.close();
  }
}

export async function benchIdleCost(o: { clients?: number; windowMs?: number } = {}): Promise<{ rows: IdleRow[]; database: string }> {
  const clients = o.clients ?? 2000;
  const windowMs = o.windowMs ?? 20_000;
  const pg = await benchPostgres();
  const sim = await startSimulator({ dynamic: false });
  try {
    const databaseUrl = pg?.url ?? 'memory://';
    const rows: IdleRow[] = [];
    for (const [n, hb] of [
      [0, 60_000],
      [clients, 60_000],
      [clients, 3_600_000],
      [clients, 2_000],
    ] as const) {
      rows.push(await measure({ databaseUrl, simUrl: sim.url, clients: n, heartbeatMs: hb, windowMs }));
    }
    return { rows, database: pg ? 'PostgreSQL' : 'PGlite' };
  } finally {
    await sim.close();
    await pg?.drop();
  }
}

export function formatIdleCost(r: { rows: IdleRow[]; database: string }): string {
  const lines = [
    `| clients | keep-alive every | beats/s | server CPU % of a core |`,
    `|---------|------------------|---------|------------------------|`,
    ...r.rows.map((x) => `| ${x.clients} | ${x.heartbeatMs / 1000} s | ${x.beatsPerSecond.toFixed(0)} | ${(x.cpuShare * 100).toFixed(2)} |`),
  ];
  const [none, slow, , fast] = r.rows;
  if (slow && fast && none) {
    const perBeatUs = ((fast.cpuShare - slow.cpuShare) / (fast.beatsPerSecond - slow.beatsPerSecond)) * 1e6;
    lines.push('', `One beat: ${perBeatUs.toFixed(0)} µs of server CPU; fixed (no clients): ${(none.cpuShare * 100).toFixed(2)} % (${r.database}).`);
  }
  return lines.join('\n');
}
