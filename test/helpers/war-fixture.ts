import { loadConfig } from '../../src/config.js';
import { startServer, type RunningServer, type StartOptions } from '../../src/server/start-server.js';
import { demoKeyFor, startSimulator, type Simulator } from '../../src/simulator/index.js';
import { createLogger } from '../../src/log.js';
import type { Backend } from './databases.js';
import type { Database } from '../../src/db/database.js';

/** The key of a scenario player: `demo` + id padded to 16 characters. */
export const demoKey = demoKeyFor;

export interface ApiAnswer<T = any> {
  status: number;
  body: T;
}

/** A real server on loopback against the simulator and a fresh database of `backend`. */
export interface WarFixture {
  sim: Simulator;
  server: RunningServer;
  db: Database;
  /** The database URL (postgres) or memory:// for PGlite. */
  dbUrl: string;
  api<T = any>(
    path: string,
    init?: { token?: string; method?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<ApiAnswer<T>>;
  signIn(playerId: number): Promise<string>;
  /** Runs the war sync of the faction now (war check, enemy members, own faction). */
  sync(factionId: number): Promise<void>;
  simControl(path: string, body?: unknown): Promise<any>;
  /** Stops the server and starts a new one on the same database (and simulator), optionally with other settings. */
  restart(envOverrides?: Record<string, string>): Promise<void>;
  /** Another server node on the same database (postgres only), with its own pool and LISTEN connection. */
  startNode(overrides?: Record<string, string>): Promise<RunningServer>;
  close(): Promise<void>;
}

export async function startWarFixture(
  backend: Backend,
  options: { env?: Record<string, string>; server?: StartOptions; simDynamic?: boolean; sim?: Parameters<typeof startSimulator>[0] } = {},
): Promise<WarFixture> {
  const sim = await startSimulator({ dynamic: options.simDynamic ?? false, ...options.sim });
  const { db, url: dbUrl, close: closeDb } = await backend.open();
  const env = (overrides: Record<string, string> = {}) => ({
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: dbUrl,
    TORNCAT_SECRET: 'test-secret-0123456789abcdef-0123456789',
    TORN_API_URL: sim.url,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    // Suites sign many members in from 127.0.0.1 and call in bursts: the limits get tests of their own.
    SIGN_IN_LIMIT_PER_MIN: '100000',
    CALL_OPS_LIMIT_PER_MIN: '1000000',
    STREAMS_PER_TOKEN: '100000',
    STREAMS_PER_IP: '1000000',
    ...options.env,
    ...overrides,
  });
  const log = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
  // The background poller stays off: tests sync when they choose, so what they see is deterministic.
  // `own` opens the node's own pool and LISTEN connection from the URL, as a second machine would.
  const start = (overrides?: Record<string, string>, own = false) =>
    startServer(loadConfig(env(overrides)), {
      log,
      ...(own ? {} : { db }),
      sync: false,
      heartbeatMs: 1000,
      catchUpIntervalMs: 500,
      ...options.server,
    });
  const nodes: RunningServer[] = [];
  let server: RunningServer;
  try {
    server = await start();
  } catch (e) {
    // A server that fails to start must not leave the simulator and database holding the process open.
    await closeDb().catch(() => {});
    await sim.close();
    throw e;
  }

  const fixture: WarFixture = {
    sim,
    get server() {
      return server;
    },
    db,
    dbUrl,
    async api(path, init = {}) {
      const headers: Record<string, string> = { ...init.headers };
      if (init.token) headers.authorization = `Bearer ${init.token}`;
      let body: string | undefined;
      if (init.body !== undefined) {
        body = typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
        headers['content-type'] ??= 'application/json';
      }
      const res = await fetch(server.url + path, { method: init.method ?? (body ? 'POST' : 'GET'), headers, body });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        /* not JSON: the test sees the text */
      }
      return { status: res.status, body: parsed as any };
    },
    async signIn(playerId) {
      const r = await fixture.api('/api/auth', { body: { apiKey: demoKey(playerId) } });
      if (r.status !== 200) throw new Error(`sign-in of ${playerId} failed: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body.token as string;
    },
    sync: (factionId) => server.ctx.sync.syncFaction(factionId, true),
    async simControl(path, body) {
      const res = await fetch(sim.url + path, {
        method: body === undefined && path.startsWith('/__sim/stats') ? 'GET' : 'POST',
        headers: { 'content-type': 'application/json' },
        body: body === undefined ? (path.startsWith('/__sim/stats') ? undefined : '{}') : JSON.stringify(body),
      });
      return res.json();
    },
    async restart(envOverrides) {
      await server.close();
      server = await start(envOverrides);
    },
    async startNode(overrides) {
      if (dbUrl.startsWith('memory:')) throw new Error('a second node needs a shared database (postgres), not in-process PGlite');
      const node = await start(overrides, true);
      nodes.push(node);
      return node;
    },
    async close() {
      for (const n of nodes) await n.close();
      await server.close();
      await closeDb();
      await sim.close();
    },
  };
  return fixture;
}
