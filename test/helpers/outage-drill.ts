import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { demoKeyFor, startSimulator, type Simulator } from '../../src/simulator/index.js';
import { startServerProcess, type ServerProcess } from './server-process.js';
import { ResumingStream } from './resuming-streams.js';
import { assertContiguous, sleep } from './calls.js';
import type { Backend } from './databases.js';

/**
 * What the fault suites share: a real `torncat serve` process (its poller on) against the simulator
 * and a database the test can take away (or a node it can kill), a member making calls the whole
 * time, clients that resume, and the checks of what an outage must and must not do.
 */
export interface Drill {
  /** The node now: `restart` replaces it with a new process on the same port. */
  readonly server: ServerProcess;
  sim: Simulator;
  token: string;
  /** The faction's seq when the drill began: streams start here. */
  startSeq: number;
  /**
   * Ends the node (`kill`: SIGKILL, no shutdown; `stop`: SIGTERM) and starts a new one on the same
   * port and database, as a supervisor would: clients come back to the same URL.
   */
  restart(how: 'kill' | 'stop'): Promise<void>;
  close(): Promise<void>;
}

const FACTION = 1001;
const MEMBER = 2001;

/** What every drill's node runs with; `env` adds to it or overrides it. */
function drillEnv(databaseUrl: string, simUrl: string, env: Record<string, string>): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl,
    TORN_API_URL: simUrl,
    TORNCAT_SECRET: 'test-secret-0123456789abcdef-0123456789',
    WAR_CHECK_INTERVAL_MS: '5000',
    TARGET_STATUS_REFRESH_INTERVAL_MS: '2000',
    OWN_FACTION_REFRESH_INTERVAL_MS: '10000',
    TORN_KEY_BUDGET_PER_MIN: '100',
    CALL_OPS_LIMIT_PER_MIN: '100000',
    STREAMS_PER_TOKEN: '100',
    SIGN_IN_LIMIT_PER_MIN: '1000',
    ...env,
  };
}

/**
 * A real `torncat serve` process (its poller on) against the simulator and `databaseUrl`, with
 * member 2001 signed in and the war read. `env` adds server settings (limits for many clients).
 */
export async function startDrill(databaseUrl: string, env: Record<string, string> = {}): Promise<Drill> {
  const sim = await startSimulator({ dynamic: false });
  let server: ServerProcess;
  try {
    server = await startServerProcess(drillEnv(databaseUrl, sim.url, env));
  } catch (e) {
    await sim.close();
    throw e;
  }
  const dumpLogs = (s: ServerProcess) => {
    // TEST_LOG_LEVEL=debug (as for the in-process suites): the server's own log, after the fact.
    if (process.env.TEST_LOG_LEVEL === 'debug') for (const l of s.logs) console.log('# server:', JSON.stringify(l));
  };
  const close = async () => {
    await server.stop();
    await sim.close();
    dumpLogs(server);
  };
  const restart = async (how: 'kill' | 'stop') => {
    const port = new URL(server.url).port;
    await (how === 'kill' ? server.kill() : server.stop());
    dumpLogs(server);
    server = await startServerProcess({ ...drillEnv(databaseUrl, sim.url, env), PORT: port });
  };
  try {
    const auth = await api(server, '/api/auth', { body: { apiKey: demoKeyFor(MEMBER) } });
    assert.equal(auth.status, 200, JSON.stringify(auth.body));
    const token = auth.body.token as string;
    // Signing in pokes the poller: wait for it to have read the war and its targets.
    const deadline = Date.now() + 20_000;
    for (;;) {
      const war = await api(server, '/api/war', { token });
      if (war.status === 200 && war.body.war && war.body.targets.length > 0) {
        return {
          get server() {
            return server;
          },
          sim,
          token,
          startSeq: war.body.seq,
          restart,
          close,
        };
      }
      if (Date.now() > deadline) throw new Error(`the poller never read the war: ${JSON.stringify(war.body).slice(0, 300)}`);
      await sleep(100);
    }
  } catch (e) {
    await close();
    throw e;
  }
}

/** Signs member `playerId` of the scenario's faction in and returns the token. */
export async function signIn(d: Drill, playerId: number): Promise<string> {
  const r = await api(d.server, '/api/auth', { body: { apiKey: demoKeyFor(playerId) } });
  assert.equal(r.status, 200, `sign-in of ${playerId}: ${JSON.stringify(r.body)}`);
  return r.body.token as string;
}

export async function api(
  server: ServerProcess,
  path: string,
  init: { token?: string; body?: unknown } = {},
): Promise<{ status: number; body: any; headers: Headers }> {
  const headers: Record<string, string> = {};
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(server.url + path, {
      method: init.body === undefined ? 'GET' : 'POST',
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
  } catch (e) {
    // Give the process a moment to be reaped, so a crash is reported as one, with its stack.
    await sleep(100);
    if (server.exit)
      throw new Error(`the server process died (${JSON.stringify(server.exit)}):\n${server.stderr.slice(-3000)}`, { cause: e });
    throw e;
  }
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* the test sees the text */
  }
  return { status: res.status, body, headers: res.headers };
}

/**
 * A member calling and releasing a target over POST /api/calls, one operation at a time, for as
 * long as it runs; it counts the answers by status ('network' when the request itself failed).
 */
export class CallWriter {
  readonly statuses = new Map<number | 'network', number>();
  /** Bodies of answers that were neither 200 nor 503 (at most a few, for the failure message). */
  readonly unexpected: string[] = [];
  #ok = 0;
  #stopped = false;
  #loop: Promise<void> | undefined;

  /** Writes through `d.server` as it is at each request, so it carries on across a restart. */
  constructor(
    readonly d: Drill,
    readonly token: string,
    readonly targetId = 3010,
  ) {}

  start(): void {
    this.#loop = this.#run();
  }

  async #run(): Promise<void> {
    let held = false;
    while (!this.#stopped) {
      let status: number | 'network';
      try {
        const r = await api(this.d.server, '/api/calls', {
          token: this.token,
          body: { ops: [{ op: held ? 'release' : 'call', targetId: this.targetId }] },
        });
        status = r.status;
        if (r.status === 200) {
          this.#ok++;
          const result = r.body.results[0];
          // A refused call means it is held already (a call whose answer an outage swallowed).
          held = result.ok ? !held : result.error?.code === 'already_called' ? true : held;
        } else if (r.status !== 503 && this.unexpected.length < 5) this.unexpected.push(`${r.status} ${JSON.stringify(r.body)}`);
      } catch {
        status = 'network';
      }
      this.statuses.set(status, (this.statuses.get(status) ?? 0) + 1);
      await sleep(status === 200 ? 20 : 50);
    }
  }

  /** Resolves once `n` more calls have succeeded from now. */
  async succeeded(n: number, ms = 20_000): Promise<void> {
    const target = this.#ok + n;
    const deadline = Date.now() + ms;
    while (this.#ok < target) {
      if (Date.now() > deadline) throw new Error(`no successful call within ${ms} ms: ${JSON.stringify([...this.statuses])}`);
      await sleep(20);
    }
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#loop;
  }
}

/** With the database away, every route and stream answers 503 database_unavailable, and /healthz says so. */
export async function assertOutageAnswers(d: Drill): Promise<void> {
  const { server, token } = d;
  const war = await api(server, '/api/war', { token });
  assert.equal(war.status, 503, `GET /api/war: ${JSON.stringify(war.body)}`);
  assert.equal(war.body.error.code, 'database_unavailable');
  assert.ok(war.headers.get('retry-after'), 'a 503 says when to come back');
  const calls = await api(server, '/api/calls', { token, body: { ops: [{ op: 'call', targetId: 3011 }] } });
  assert.equal(calls.status, 503, `POST /api/calls: ${JSON.stringify(calls.body)}`);
  assert.equal(calls.body.error.code, 'database_unavailable');
  const poll = await api(server, `/api/events?since=${d.startSeq}&wait=0`, { token });
  assert.equal(poll.status, 503, `GET /api/events: ${JSON.stringify(poll.body)}`);
  assert.equal(poll.body.error.code, 'database_unavailable');
  const signIn = await api(server, '/api/auth', { body: { apiKey: demoKeyFor(MEMBER + 1) } });
  assert.equal(signIn.status, 503, `POST /api/auth: ${JSON.stringify(signIn.body)}`);
  assert.equal(signIn.body.error.code, 'database_unavailable');
  const health = await api(server, '/healthz');
  assert.equal(health.status, 503, `/healthz: ${JSON.stringify(health.body)}`);
  assert.equal(health.body.ok, false);
  assert.equal(health.body.databaseState, 'unavailable');
  assert.equal(health.body.error.code, 'database_unavailable');

  const sse = await fetch(`${server.url}/events?lastEventId=${d.startSeq}`, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(sse.status, 503, 'a new SSE stream is refused');
  assert.equal(((await sse.json()) as any).error.code, 'database_unavailable');
  const upgrade = await new Promise<{ status: number; body: string }>((resolve, reject) => {
    const ws = new WebSocket(`${server.url.replace(/^http/, 'ws')}/ws?token=${token}`);
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    ws.once('open', () => reject(new Error('a WebSocket opened with the database away')));
    ws.once('error', () => {});
  });
  assert.equal(upgrade.status, 503, 'a new WebSocket is refused');
  assert.equal(JSON.parse(upgrade.body).error.code, 'database_unavailable');
}

/** Waits until /healthz is 200 with LISTEN back: the node has recovered by itself. */
async function waitRecovered(d: Drill, ms = 20_000): Promise<number> {
  const started = Date.now();
  for (;;) {
    const h = await api(d.server, '/healthz').catch(() => undefined);
    if (h?.status === 200 && h.body.listening === true) return Date.now() - started;
    if (Date.now() - started > ms) throw new Error(`not recovered within ${ms} ms: ${JSON.stringify(h?.body)}`);
    await sleep(50);
  }
}

/** Every stream holds every event of the log from `from` to `head` (and any after), each once and in order (no reset). */
async function assertStreamsWhole(streams: ResumingStream[], from: number, head: number): Promise<void> {
  for (const s of streams) {
    await s.until(head);
    assert.deepEqual(
      s.events.filter((e) => e.event === 'reset'),
      [],
      `${s.kind}: no reset (nothing the log still holds was skipped)`,
    );
    // The node may write on after `head` was read (the summary its next sync refreshes): those
    // events must follow on too.
    assertContiguous(s.events, from, Math.max(head, s.events.at(-1)?.id ?? head));
  }
}

/** The node polls Torn for the faction again: its poller lock connection came back. */
async function waitPolling(d: Drill, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    const m = await api(d.server, '/metrics');
    if (new RegExp(`torncat_sync_polling\\{faction="${FACTION}"\\} 1`).test(String(m.body))) return;
    if (Date.now() > deadline)
      throw new Error(`the node does not poll the faction again: ${String(m.body).match(/torncat_sync_polling.*/g)}`);
    await sleep(100);
  }
}

/** What `drillRounds` leaves for the suite's own checks and its log line. */
export interface DrillReport {
  writer: CallWriter;
  streams: ResumingStream[];
  /** Milliseconds from the end of each disruption to /healthz answering with LISTEN back. */
  recoveries: number[];
  head: number;
  summary: string;
}

/**
 * The outage suites' common run: SSE, WebSocket and long-poll streams resuming from the drill's
 * start and a member calling the whole time, `rounds` disruptions (`disrupt(i)` does round i's and
 * puts things back), after each of which the node must recover by itself and calls succeed again.
 * Then: the node polls Torn again, every stream holds every event of the log once and in order, the
 * process never died (a restart by `disrupt` aside), every call was answered 200 or 503, nothing was
 * logged at error level, and each recovery took under 10 s.
 */
export async function drillRounds(d: Drill, rounds: number, disrupt: (round: number) => Promise<void>): Promise<DrillReport> {
  const streams = [
    ResumingStream.sse(d.server.url, d.token, d.startSeq),
    ResumingStream.ws(d.server.url, d.token, d.startSeq),
    ResumingStream.poll(d.server.url, d.token, d.startSeq),
  ];
  const writer = new CallWriter(d, d.token);
  writer.start();
  const recoveries: number[] = [];
  let head: number;
  try {
    await writer.succeeded(5);
    for (let i = 0; i < rounds; i++) {
      await disrupt(i);
      recoveries.push(await waitRecovered(d));
      assert.equal(d.server.exit, undefined, `the server died at round ${i + 1}:\n${d.server.stderr}`);
      await writer.succeeded(3);
    }
    await waitPolling(d);
    await writer.stop();
    const war = await api(d.server, '/api/war', { token: d.token });
    assert.equal(war.status, 200, JSON.stringify(war.body));
    head = war.body.seq as number;
    await assertStreamsWhole(streams, d.startSeq, head);
  } finally {
    // Left running, they would keep the test process alive after a failure.
    await Promise.all([writer.stop(), ...streams.map((s) => s.stop())]);
  }

  assert.equal(d.server.exit, undefined, `the server died:\n${d.server.stderr}`);
  assert.deepEqual(writer.unexpected, [], 'every call was answered 200 or 503');
  assert.deepEqual(
    d.server.errors().map((l) => l.msg),
    [],
    'an outage is not a bug: nothing logged at error level',
  );
  // Recovery is the listener's back-off (0.5 s, 1 s, 2 s … with jitter) after the database is back.
  assert.ok(Math.max(...recoveries) < 10_000, `recovered each time within 10 s: ${recoveries.join(', ')} ms`);
  const [sse, ws] = streams;
  const summary =
    `calls ${JSON.stringify(Object.fromEntries(writer.statuses))}; events ${d.startSeq + 1}…${head}; ` +
    `stream connections sse ${sse.connections}, ws ${ws.connections}; recovery ms ${recoveries.join(' ')}`;
  return { writer, streams, recoveries, head, summary };
}

/**
 * A database for a drill's node that outlives the node's process: a fresh PostgreSQL database, or
 * PGlite on disk in a data directory of its own (memory:// would die with the process). Start the
 * drill with `startDrill(db.url, { ...db.env, … })`.
 */
export async function drillDatabase(backend: Backend): Promise<{ url: string; env: Record<string, string>; close(): Promise<void> }> {
  if (backend.name === 'postgres') {
    const opened = await backend.open({ migrated: false });
    // The node migrates it; this handle of ours is not needed.
    await opened.db.close();
    return { url: opened.url, env: {}, close: () => opened.close().catch(() => {}) };
  }
  const dir = mkdtempSync(join(tmpdir(), 'torncat-drill-'));
  return {
    url: '',
    env: { TORNCAT_EMBEDDED: 'pglite', TORNCAT_DATA_DIR: dir },
    close: async () => rmSync(dir, { recursive: true, force: true }),
  };
}
