// TornCat under test: the real server (startServer) on PostgreSQL (argv[2], else PGlite in memory),
// 25 members signed in through the simulator; an event is committed to the event log here, and
// reaches clients the way every event does: NOTIFY → hub → read the log → every subscriber.
// argv[3]: in how many processes. More than one: `torncat serve`'s own primary (runPrimary: it
// migrates, forks the workers sharing the port, holds the stream caps and limits they ask for) and
// workers that are each a whole server with its own LISTEN and hub, as with WORKERS=N; this process
// (the primary) also signs the members in and commits the events. Several processes need
// PostgreSQL: PGlite in memory is one process's.

import cluster from 'node:cluster';
import { runPrimary } from '../../src/cluster/primary.js';
import { PrimaryChannel } from '../../src/cluster/primary-channel.js';
import { loadConfig, type Config } from '../../src/config.js';
import { openDatabase } from '../../src/db/open-database.js';
import { BENCH_LIMITS } from '../limits.js';
import { createLogger } from '../../src/log.js';
import { appendEvent } from '../../src/realtime/event-log.js';
import { startServer } from '../../src/server/start-server.js';
import { demoKeyFor, startSimulator } from '../../src/simulator/index.js';
import { runPeer } from './peer.js';
import { benchEvent, now } from './wire.js';

const FACTION = 1001;
const databaseUrl = process.argv[2] || 'memory://';
const workers = Math.max(1, Number(process.argv[3]) || 1);

function config(tornApiUrl: string): Config {
  return loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: databaseUrl,
    TORNCAT_SECRET: 'bench-secret-0123456789-0123456789abcdef',
    TORN_API_URL: tornApiUrl,
    LOG_LEVEL: 'silent',
    ...BENCH_LIMITS,
  });
}

// Keep-alives every 60 s, not 15: the figures are per event, and socket.io's pings are spaced out
// the same way. No polling of Torn: its runs write to the faction's log between the measured events.
const BENCH_START = { sync: false, heartbeatMs: 60_000 } as const;

async function signIn(url: string): Promise<string[]> {
  const tokens: string[] = [];
  for (let id = 2001; id <= 2025; id++) {
    const r = await fetch(url + '/api/auth', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ apiKey: demoKeyFor(id) }),
    });
    if (!r.ok) throw new Error(`sign-in of ${id}: ${r.status} ${await r.text()}`);
    tokens.push(((await r.json()) as { token: string }).token);
  }
  return tokens;
}

if (cluster.isWorker) {
  // What runWorker (src/cluster/worker.ts) does, with the bench's start options: the primary's
  // stream caps and limits over IPC, then "listening".
  const channel = new PrimaryChannel();
  const server = await startServer(config(process.env.FANOUT_TORN_URL!), {
    ...BENCH_START,
    log: createLogger('silent'),
    worker: Number(process.env.TORNCAT_WORKER),
    limits: {
      signIn: channel.allowance('signIn'),
      callOps: channel.allowance('callOps'),
      rejectedKeys: channel.rejectedKeys(),
    },
    streamSlots: channel.streamSlots(),
  });
  channel.tell({ torncat: 'listening', url: server.url });
} else {
  await runPeer(async () => {
    const sim = await startSimulator({ dynamic: false });
    const c = config(sim.url);
    const database = databaseUrl.startsWith('postgres') ? 'PostgreSQL' : 'PGlite';
    if (workers === 1) {
      const server = await startServer(c, { ...BENCH_START, log: createLogger('silent') });
      return {
        url: server.url,
        tokens: await signIn(server.url),
        database,
        async publish(i) {
          // From just before the committing statement (it is its own transaction): the NOTIFY leaves
          // at its commit.
          const committedAt = now();
          const seq = await appendEvent(server.ctx.db, FACTION, 'target_call', benchEvent(i));
          return { seq, committedAt };
        },
      };
    }
    if (database !== 'PostgreSQL') throw new Error('TornCat in several processes needs PostgreSQL (PGlite in memory is one process)');
    // The workers (this script again, forked by runPrimary) build their config from here.
    process.env.FANOUT_TORN_URL = sim.url;
    let url = '';
    cluster.on('message', (_w, m: { torncat?: string; url?: string }) => void (m?.torncat === 'listening' && (url = m.url!)));
    // Resolves once every worker serves.
    await runPrimary(c, createLogger('silent'), workers, `WORKERS=${workers}`);
    const db = await openDatabase(c.databaseUrl, c.dataDir);
    return {
      url,
      tokens: await signIn(url),
      database,
      async publish(i) {
        const committedAt = now();
        const seq = await appendEvent(db, FACTION, 'target_call', benchEvent(i));
        return { seq, committedAt };
      },
      // runPrimary's own stop: each worker is told to stop and waited for (exiting at once would leave
      // them closing their streams with no primary to tell, which they fail at).
      stop: () => process.kill(process.pid, 'SIGTERM'),
    };
  });
}
