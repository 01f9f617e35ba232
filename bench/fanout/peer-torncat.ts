// TornCat under test: the real server (startServer) on PostgreSQL (argv[2], else PGlite in memory),
// 25 members signed in through the simulator; an event is committed to the event log here, and
// reaches clients the way every event does: NOTIFY → hub → read the log → every subscriber.

import { loadConfig } from '../../src/config.js';
import { BENCH_LIMITS } from '../limits.js';
import { createLogger } from '../../src/log.js';
import { appendEvent } from '../../src/realtime/event-log.js';
import { startServer } from '../../src/server/start-server.js';
import { demoKeyFor, startSimulator } from '../../src/simulator/index.js';
import { runPeer } from './peer.js';
import { benchEvent, now } from './wire.js';

const FACTION = 1001;

await runPeer(async () => {
  const databaseUrl = process.argv[2] || 'memory://';
  const sim = await startSimulator({ dynamic: false });
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: databaseUrl,
    TORNCAT_SECRET: 'bench-secret-0123456789-0123456789abcdef',
    TORN_API_URL: sim.url,
    LOG_LEVEL: 'silent',
    ...BENCH_LIMITS,
  });
  // Keep-alives every 60 s, not 15: the figures are per event, and socket.io's pings are spaced
  // out the same way.
  const server = await startServer(config, { log: createLogger('silent'), sync: false, heartbeatMs: 60_000 });
  const tokens: string[] = [];
  for (let id = 2001; id <= 2025; id++) {
    const r = await fetch(server.url + '/api/auth', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ apiKey: demoKeyFor(id) }),
    });
    if (!r.ok) throw new Error(`sign-in of ${id}: ${r.status} ${await r.text()}`);
    tokens.push(((await r.json()) as { token: string }).token);
  }
  return {
    url: server.url,
    tokens,
    database: databaseUrl.startsWith('postgres') ? 'PostgreSQL' : 'PGlite',
    async publish(i) {
      // From just before the committing statement (it is its own transaction): the NOTIFY leaves
      // at its commit.
      const committedAt = now();
      const seq = await appendEvent(server.ctx.db, FACTION, 'target_call', benchEvent(i));
      return { seq, committedAt };
    },
  };
});
