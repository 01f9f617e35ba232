import assert from 'node:assert/strict';
import pg from 'pg';
import WebSocket from 'ws';
import { demoKeyFor, startSimulator, type Simulator } from '../../src/simulator/index.js';
import { startServerProcess, type ServerProcess } from './server-process.js';
import { ResumingStream } from './resuming-streams.js';
import { assertContiguous, sleep } from './calls.js';

/**
 * What the database-outage suites share: a real `torncat serve` process (its poller on) against the
 * simulator and a database the test can take away, a member making calls the whole time, and the
 * checks of what an outage must and must not do.
 */
export interface Drill {
  server: ServerProcess;
  sim: Simulator;
  token: string;
  /** The faction's seq when the drill began: streams start here. */
  startSeq: number;
  close(): Promise<void>;
}

export const FACTION = 1001;
const MEMBER = 2001;

export async function startDrill(databaseUrl: string): Promise<Drill> {
  const sim = await startSimulator({ dynamic: false });
  let server: ServerProcess;
  try {
    server = await startServerProcess({
      DATABASE_URL: databaseUrl,
      TORN_API_URL: sim.url,
      TORNCAT_SECRET: 'test-secret-0123456789abcdef-0123456789',
      WAR_CHECK_INTERVAL_MS: '5000',
      TARGET_STATUS_REFRESH_INTERVAL_MS: '2000',
      OWN_FACTION_REFRESH_INTERVAL_MS: '10000',
      TORN_KEY_BUDGET_PER_MIN: '100',
      CALL_OPS_LIMIT_PER_MIN: '100000',
      STREAMS_PER_TOKEN: '100',
      SIGN_IN_LIMIT_PER_MIN: '1000',
    });
  } catch (e) {
    await sim.close();
    throw e;
  }
  const close = async () => {
    await server.stop();
    await sim.close();
    // TEST_LOG_LEVEL=debug (as for the in-process suites): the server's own log, after the fact.
    if (process.env.TEST_LOG_LEVEL === 'debug') for (const l of server.logs) console.log('# server:', JSON.stringify(l));
  };
  try {
    const auth = await api(server, '/api/auth', { body: { apiKey: demoKeyFor(MEMBER) } });
    assert.equal(auth.status, 200, JSON.stringify(auth.body));
    const token = auth.body.token as string;
    // Signing in pokes the poller: wait for it to have read the war and its targets.
    const deadline = Date.now() + 20_000;
    for (;;) {
      const war = await api(server, '/api/war', { token });
      if (war.status === 200 && war.body.war && war.body.targets.length > 0) return { server, sim, token, startSeq: war.body.seq, close };
      if (Date.now() > deadline) throw new Error(`the poller never read the war: ${JSON.stringify(war.body).slice(0, 300)}`);
      await sleep(100);
    }
  } catch (e) {
    await close();
    throw e;
  }
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
    if (server.exit) throw new Error(`the server process died (${JSON.stringify(server.exit)}):\n${server.stderr.slice(-3000)}`, { cause: e });
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

  constructor(
    readonly server: ServerProcess,
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
        const r = await api(this.server, '/api/calls', {
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
export async function waitRecovered(d: Drill, ms = 20_000): Promise<number> {
  const started = Date.now();
  for (;;) {
    const h = await api(d.server, '/healthz').catch(() => undefined);
    if (h?.status === 200 && h.body.listening === true) return Date.now() - started;
    if (Date.now() - started > ms) throw new Error(`not recovered within ${ms} ms: ${JSON.stringify(h?.body)}`);
    await sleep(50);
  }
}

/** The faction's head seq, read straight from the database. */
export async function headSeq(databaseUrl: string): Promise<number> {
  const c = new pg.Client({ connectionString: databaseUrl });
  await c.connect();
  try {
    const r = await c.query('select last_seq from faction_event_counters where faction_id = $1', [FACTION]);
    return Number(r.rows[0]?.last_seq ?? 0);
  } finally {
    await c.end();
  }
}

/** Every stream holds every event of the log from `from` to `head`, each once and in order (no reset). */
export async function assertStreamsWhole(streams: ResumingStream[], from: number, head: number): Promise<void> {
  for (const s of streams) {
    await s.until(head);
    assert.deepEqual(
      s.events.filter((e) => e.event === 'reset'),
      [],
      `${s.kind}: no reset (nothing the log still holds was skipped)`,
    );
    assertContiguous(s.events, from, head);
  }
}

/** The node polls Torn for the faction again: its poller lock connection came back. */
export async function waitPolling(d: Drill, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    const m = await api(d.server, '/metrics');
    if (new RegExp(`torncat_sync_polling\\{faction="${FACTION}"\\} 1`).test(String(m.body))) return;
    if (Date.now() > deadline)
      throw new Error(`the node does not poll the faction again: ${String(m.body).match(/torncat_sync_polling.*/g)}`);
    await sleep(100);
  }
}
