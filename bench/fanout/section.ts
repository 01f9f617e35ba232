// `npm run bench -- fan-out [--quick] [--cpu-prof] [--clients=1000,5000] [--workers=1,2] [--only=torncat,floor] [--save]`:
// the fan-out section. Full size (or --save) writes bench/results/<date>-<machine>.json and .md;
// --quick runs everything tiny (CI may run it: it checks that every client got every event, nothing
// about speed) and, like a partial run, writes its results under the system's temporary folder.

import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { benchPostgres } from '../bench-database.js';
import { benchFanOutScale, type ScaleOptions } from './coordinator.js';
import { topSelfTime } from './profile-summary.js';
import { describeMachine, formatGoals, formatRatios, formatScale, machine, ratios, writeResults } from './report.js';

const NOTES =
  'Latency: from just before the commit of the event (TornCat: the INSERT into the event log, its own transaction; the ' +
  'others: the broadcast call) to a client reading it, over every (client, event), on the monotonic clock all ' +
  "processes share. Server and load generators (separate processes) share this machine's cores. CPU: the server's " +
  'user+system time, every process of it summed (with N workers: the primary and the workers), from the first measured ' +
  "event until every client had the last, per event (TornCat's includes committing the event; PostgreSQL runs in its own " +
  "processes). RSS per idle client: growth of the server's RSS, every process summed, after a GC in each, from before the " +
  "clients connected to after the warm-up. Keep-alives every 60 s (TornCat's heartbeat, socket.io pings) so they stay out " +
  'of the per-event figures. Floors: a bare node:http server writing pre-encoded bytes to an array of connections: ' +
  '`res.write` of the SSE frame, or one pre-encoded HTTP/1.1 chunk (or WebSocket frame) written straight to each socket. ' +
  "×N: the server in N node:cluster workers sharing the port (the primary hands connections out in turn): TornCat's " +
  "workers each LISTEN and read the log, the floor's primary sends each worker the event, socket.io's workers are joined " +
  "by @socket.io/cluster-adapter. median event's p99: each measured event's p99 over the clients, the median of those (the p99 column also has the few events another job on the machine delayed). ms between events: the measured events' mean spacing (250 asked; more: the server held the next one back). load: the machine's 1-minute load average when the run ended. " +
  '"not run": one process may hold no more sockets than the descriptor hard limit (`ulimit -Hn`).';

export async function fanOutSection(flags: string[]): Promise<void> {
  const quick = flags.includes('--quick');
  const value = (name: string) => flags.find((f) => f.startsWith(`--${name}=`))?.split('=')[1];
  const clientCounts =
    value('clients')
      ?.split(',')
      .map(Number)
      .filter((n) => n > 0) ?? (quick ? [50] : [10000, 20000]);
  const workers = value('workers')
    ?.split(',')
    .map(Number)
    .filter((n) => n > 0) ?? [1, 2];
  // Only the full default run (or one told --save) is a result to keep; a quick or partial one goes to the temporary folder.
  const partial =
    !flags.includes('--save') &&
    (quick || flags.some((f) => f.startsWith('--clients=') || f.startsWith('--only=') || f.startsWith('--workers=')));
  const resultsDir = partial ? `${tmpdir()}/torncat-bench` : fileURLToPath(new URL('../results', import.meta.url));
  const profDir = flags.includes('--cpu-prof') ? `${resultsDir}/profiles-${new Date().toISOString().replace(/[:.]/g, '-')}` : undefined;
  console.log(
    `## Fan-out: one faction's event to ${clientCounts.join(', ')} clients: TornCat against the floor and socket.io, in ${workers.join(', ')} processes${quick ? ' (--quick: tiny, nothing about speed)' : ''}\n`,
  );
  const m = machine();
  const started = Date.now();
  const pgdb = await benchPostgres();
  const options: ScaleOptions = {
    clientCounts,
    warmup: quick ? 2 : 5,
    events: quick ? 5 : 40,
    intervalMs: quick ? 20 : 250,
    idleMs: quick ? 200 : 3000,
    perGenerator: quick ? 25 : 5000,
    postgresUrl: pgdb?.url,
    cpuProfDir: profDir,
    only: value('only')?.split(','),
    workers,
    log: (line) => console.log(line),
  };
  let rows;
  try {
    rows = await benchFanOutScale(options);
  } finally {
    await pgdb?.drop();
  }
  m.loadAfter = (await import('node:os')).loadavg().map((l) => Number(l.toFixed(2)));
  const rs = ratios(rows);
  console.log(`\n${describeMachine(m)}; TornCat on ${pgdb ? 'PostgreSQL' : 'PGlite'}\n`);
  console.log(formatScale(rows));
  console.log('\n' + formatRatios(rs));
  console.log('\n' + formatGoals(rows, rs));
  console.log('\n' + NOTES.replace(/(.{1,110})( |$)/g, '$1\n'));
  const file = writeResults(resultsDir, m, options, rows, rs, NOTES, (Date.now() - started) / 1000);
  console.log(`Results: ${file} (and .md)`);
  if (profDir) {
    // One file per process (<setup>-<clients>.cpuprofile, or -p0, -p1… for a server in several).
    const byRun = new Map<string, string[]>();
    for (const name of readdirSync(profDir).sort()) {
      const run = name.replace(/(-p\d+)?\.cpuprofile$/, '');
      byRun.set(run, [...(byRun.get(run) ?? []), `${profDir}/${name}`]);
    }
    for (const [run, files] of byRun) {
      console.log(
        `\nCPU profile ${profDir}/${run} (${files.length} process${files.length === 1 ? '' : 'es'} summed), measured events only: self time, idle left out`,
      );
      for (const { fn, share } of topSelfTime(files, 18)) console.log(`  ${(share * 100).toFixed(1).padStart(5)} %  ${fn}`);
    }
  }
  // A run the machine cannot do (too many sockets for one process) is said so in its row, not failed.
  const failed = rows.filter((r) => !r.notRun && (r.error || !r.allDelivered));
  if (failed.length)
    throw new Error(`fan-out: ${failed.map((r) => `${r.setup} × ${r.clients}`).join(', ')}: not every client got every event`);
}
