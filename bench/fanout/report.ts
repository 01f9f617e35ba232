// The fan-out section's output: the table, the ratios the issue asks for, the machine it ran on,
// and the results file (bench/results/<date>-<machine>.json, with the same table as markdown).

import { cpus, hostname, loadavg, totalmem } from 'node:os';
import { mkdirSync, writeFileSync } from 'node:fs';
import type { ScaleOptions, ScaleRow } from './coordinator.js';

export interface Machine {
  host: string;
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  /** Load averages (1, 5, 15 min) before and after the run: other work on the machine skews the figures. */
  loadBefore: number[];
  loadAfter?: number[];
}

export function machine(): Machine {
  return {
    host: hostname(),
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    loadBefore: loadavg().map((l) => Number(l.toFixed(2))),
  };
}

const f = (n: number, digits: number) => (Number.isFinite(n) ? n.toFixed(digits) : '—');

export function formatScale(rows: ScaleRow[]): string {
  const head = [
    'setup',
    'clients',
    'p50 ms',
    'p95 ms',
    'p99 ms',
    'max ms',
    "median event's p99 ms",
    'delivered == sent',
    'CPU-s/event',
    'events/CPU-s',
    'KiB/idle client',
    'idle CPU %',
    'ms between events',
    'load',
  ];
  const body = rows.map((r) => [
    r.setup,
    String(r.clients),
    f(r.p50, 1),
    f(r.p95, 1),
    f(r.p99, 1),
    f(r.max, 1),
    f(r.eventP99, 1),
    r.notRun
      ? 'not run: one process cannot hold them here'
      : r.error
        ? `FAILED: ${r.error.slice(0, 80)}`
        : r.allDelivered
          ? `yes (${r.events} each)`
          : `NO (${r.clientsComplete}/${r.clients} clients, min ${r.minDelivered})`,
    f(r.cpuPerEvent, 4),
    f(r.deliveredPerCpuSecond, 0),
    f(r.rssPerIdleClientKiB, 1),
    f(r.idleCpuShare * 100, 1),
    f(r.spacingMs, 0),
    f(r.load, 1),
  ]);
  return table(head, body);
}

function table(head: string[], body: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => '| ' + cells.map((c, i) => c.padEnd(widths[i])).join(' | ') + ' |';
  return [line(head), '|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|', ...body.map(line)].join('\n');
}

export interface Ratios {
  clients: number;
  /** Processes of every server compared (TornCat, the floor and socket.io in as many each). */
  workers: number;
  /** TornCat SSE's CPU per event over the chunk floor's (goal ≤ 1.2). */
  sseCpuVsFloor: number;
  /** TornCat SSE's p99 over the chunk floor's (goal ≤ 1.2). */
  sseP99VsFloor: number;
  /** The chunk floor's CPU per event over res.write's (the lower floor; one process only). */
  chunkFloorVsWriteFloor: number;
  wsCpuVsFloor: number;
  wsP99VsFloor: number;
  /** TornCat SSE's delivered events per CPU-second over socket.io's (goal ≥ 2). */
  sseVsSocketIo: number;
  wsVsSocketIo: number;
}

export function ratios(rows: ScaleRow[]): Ratios[] {
  const runs = [...new Map(rows.map((r) => [`${r.clients}/${r.workers}`, { clients: r.clients, workers: r.workers }])).values()];
  return runs.map(({ clients, workers }) => {
    const get = (server: ScaleRow['server'], transport: ScaleRow['transport']) =>
      rows.find((r) => r.clients === clients && r.workers === workers && r.server === server && r.transport === transport);
    const div = (a: number | undefined, b: number | undefined) => (a !== undefined && b !== undefined ? a / b : NaN);
    const tc = get('torncat', 'sse');
    const tw = get('torncat', 'ws');
    const fc = get('floor-chunk', 'sse');
    const fw = get('floor-write', 'sse');
    const ff = get('floor-chunk', 'ws');
    const io = get('socketio', 'socketio');
    return {
      clients,
      workers,
      sseCpuVsFloor: div(tc?.cpuPerEvent, fc?.cpuPerEvent),
      sseP99VsFloor: div(tc?.p99, fc?.p99),
      chunkFloorVsWriteFloor: div(fc?.cpuPerEvent, fw?.cpuPerEvent),
      wsCpuVsFloor: div(tw?.cpuPerEvent, ff?.cpuPerEvent),
      wsP99VsFloor: div(tw?.p99, ff?.p99),
      sseVsSocketIo: div(tc?.deliveredPerCpuSecond, io?.deliveredPerCpuSecond),
      wsVsSocketIo: div(tw?.deliveredPerCpuSecond, io?.deliveredPerCpuSecond),
    };
  });
}

export function formatRatios(rs: Ratios[]): string {
  const head = [
    'clients',
    'processes',
    'TornCat SSE / floor: CPU',
    'p99',
    'WS / floor: CPU',
    'p99',
    'chunk floor / res.write floor: CPU',
    'TornCat / socket.io events per CPU-s: SSE',
    'WS',
  ];
  return table(
    head,
    rs.map((r) => [
      String(r.clients),
      String(r.workers),
      f(r.sseCpuVsFloor, 2),
      f(r.sseP99VsFloor, 2),
      f(r.wsCpuVsFloor, 2),
      f(r.wsP99VsFloor, 2),
      f(r.chunkFloorVsWriteFloor, 2),
      f(r.sseVsSocketIo, 2),
      f(r.wsVsSocketIo, 2),
    ]),
  );
}

/**
 * The issue's goals at 10,000 clients (else the largest count run), in each number of processes,
 * each with the figure and whether it is met.
 */
export function formatGoals(rows: ScaleRow[], rs: Ratios[]): string {
  const clients = rows.some((r) => r.clients === 10_000) ? 10_000 : Math.max(...rows.map((r) => r.clients));
  const lines: string[] = [];
  const mark = (ok: boolean) => (ok ? 'met' : 'NOT met');
  for (const r of rs.filter((x) => x.clients === clients)) {
    const at = `${clients} clients, ${r.workers === 1 ? '1 process' : `${r.workers} workers`}`;
    for (const transport of ['sse', 'ws'] as const) {
      const row = rows.find((x) => x.clients === clients && x.workers === r.workers && x.server === 'torncat' && x.transport === transport);
      if (!row) continue;
      lines.push(`- ${row.setup}, ${at}: p99 ${f(row.p99, 1)} ms (goal < 100 ms: ${mark(row.p99 < 100)})`);
      lines.push(
        `- ${row.setup}: ${f(row.rssPerIdleClientKiB, 1)} KiB per idle client (goal < 12 KiB: ${mark(row.rssPerIdleClientKiB < 12)})`,
      );
    }
    lines.push(
      `- SSE CPU per event ${f(r.sseCpuVsFloor, 2)}× the chunk floor's, p99 ${f(r.sseP99VsFloor, 2)}× (goal ≤ 1.2×: ${mark(r.sseCpuVsFloor <= 1.2 && r.sseP99VsFloor <= 1.2)})`,
    );
    lines.push(
      `- WebSocket CPU per event ${f(r.wsCpuVsFloor, 2)}× the frame floor's, p99 ${f(r.wsP99VsFloor, 2)}× (goal ≤ 1.2×: ${mark(r.wsCpuVsFloor <= 1.2 && r.wsP99VsFloor <= 1.2)})`,
    );
    lines.push(
      `- delivered events per CPU-second: SSE ${f(r.sseVsSocketIo, 2)}×, WebSocket ${f(r.wsVsSocketIo, 2)}× socket.io's (goal ≥ 2×: ${mark(r.sseVsSocketIo >= 2)} / ${mark(r.wsVsSocketIo >= 2)})`,
    );
  }
  return lines.join('\n');
}

export function describeMachine(m: Machine): string {
  return (
    `${m.host}: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, Node ${m.node}; load average ` +
    `${m.loadBefore.join(' / ')} before, ${m.loadAfter?.join(' / ') ?? '?'} after (1 / 5 / 15 min)`
  );
}

/** Writes `<dir>/<date>-<machine>.json` and `.md`; returns the JSON's path. */
export function writeResults(
  dir: string,
  m: Machine,
  options: ScaleOptions,
  rows: ScaleRow[],
  rs: Ratios[],
  notes: string,
  durationSeconds: number,
): string {
  mkdirSync(dir, { recursive: true });
  const date = new Date().toISOString().slice(0, 10);
  const base = `${dir}/${date}-${m.host.replace(/[^a-z0-9.-]+/gi, '-')}`;
  const { log: _log, postgresUrl, ...settings } = options;
  void _log;
  const json = {
    date: new Date().toISOString(),
    machine: m,
    settings: { ...settings, database: postgresUrl ? 'PostgreSQL' : 'PGlite' },
    rows,
    ratios: rs,
    notes,
  };
  writeFileSync(`${base}.json`, JSON.stringify(json, null, 2) + '\n');
  writeFileSync(
    `${base}.md`,
    `# Fan-out, ${json.date} (${Math.round(durationSeconds / 60)} min)\n\n${describeMachine(m)}\n\n${formatScale(rows)}\n\nRatios:\n\n${formatRatios(rs)}\n\nGoals:\n\n${formatGoals(rows, rs)}\n\n${notes}\n`,
  );
  return `${base}.json`;
}
