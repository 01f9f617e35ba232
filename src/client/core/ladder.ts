import { backoffDelay, type BackoffOptions } from '../../backoff.js';
import type { RungName } from '../../protocol/userscript-config.js';
import { sleep } from './sleep.js';
import type { Transport, TransportEnd } from './transports/transport.js';

export type RungState = 'connecting' | 'live' | 'down';

/** What the ladder tells the client around it. */
export interface LadderHost {
  rung(name: RungName, state: RungState, note?: string): void;
  authLost(message: string): void;
}

/** What a ladder remembers between page loads (per manager, server and page origin): see LadderMemory. */
export interface RememberedRungs {
  /** The best rung that was live last time. */
  last?: RungName;
  /** Rungs this page's policy blocks (EventSource under torn.com's CSP), with when that was seen (ms). */
  blocked?: Partial<Record<RungName, number>>;
}

export interface LadderMemory {
  load(): RememberedRungs;
  save(m: RememberedRungs): void;
}

export interface LadderOptions {
  memory?: LadderMemory;
  /** The first wait before streams that did not come up are tried again (doubling up to 5 min). @default 5000 */
  climbMs?: number;
}

/** Reconnecting a rung that keeps failing: 0.5–1 s, then doubling, up to 30 s. */
const RETRY: BackoffOptions = { baseMs: 1000, maxMs: 30_000 };
/** A connection that lasted this long worked: the next one starts the back-off over. */
const LIVED_MS = 5000;
/** A rung that comes up but dies this many times in a row gives way to the next one down. */
const MAX_FAILURES = 3;
/** A rung the page's policy blocked is not tried again on that page for this long (no CSP-violation noise). */
const BLOCKED_MS = 24 * 3600_000;

/** One start…stop of the ladder; a stopped run finishes on its own while a new one may start. */
interface Run {
  stopped: boolean;
  /** Aborts the round in progress (a switch, a pause for a call, the stop). */
  ctl: AbortController;
  current: Transport | undefined;
}

/** How a run has been going, round after round: it sets the waits before the streams are probed. */
interface Pace {
  /** Rounds in a row in which no stream came up. */
  climbs: number;
  /** Streams in a row that came up but ended within LIVED_MS. */
  shortStreams: number;
  first: boolean;
}

/** One round's rungs: the whole-answer ones (the floor, best first) and the streams to probe beside them. */
interface RoundPlan {
  floors: Transport[];
  probes: Transport[];
  /** Last time here, a stream was live (or nothing is known). */
  streamedBefore: boolean;
}

/**
 * Keeps the client live without ever making the member wait for a rung's timeout. Each round runs
 * the best whole-answer rung (long-poll, else polling: they work over any Http) at once and, beside
 * it, probes the streaming rungs (best first, the one live last time first of all); the first stream
 * that delivers takes over and the whole-answer rung stops. When the stream ends, the next round
 * starts the same way, so the client falls back at once and climbs back as soon as a stream works
 * again; streams that do not come up are tried again later, less and less often. A rung the page's
 * policy blocks is remembered and left alone on that page. Every rung resumes from the client's last
 * event id and the state drops duplicates, so running two at once or switching loses nothing.
 */
export class Ladder {
  readonly #host: LadderHost;
  readonly #transports: Transport[];
  readonly #memory: LadderMemory | undefined;
  readonly #climb: BackoffOptions;
  #forced: RungName | null = null;
  #run: Run | undefined;
  #running: Promise<void> = Promise.resolve();
  #pauses = 0;
  #resume: (() => void) | undefined;
  #resumed: Promise<void> = Promise.resolve();

  constructor(host: LadderHost, transports: readonly Transport[], options: LadderOptions = {}) {
    this.#host = host;
    this.#transports = [...transports];
    this.#memory = options.memory;
    this.#climb = { baseMs: options.climbMs ?? 5000, maxMs: 300_000 };
  }

  get rungs(): RungName[] {
    return this.#transports.map((t) => t.rung.name);
  }

  get current(): RungName | undefined {
    return this.#run?.current?.rung.name;
  }

  start(forced: RungName | null = null): void {
    this.#forced = this.#known(forced);
    if (this.#run) return;
    const run: Run = { stopped: false, ctl: new AbortController(), current: undefined };
    this.#run = run;
    this.#running = this.#loop(run);
  }

  async stop(): Promise<void> {
    const run = this.#run;
    this.#run = undefined;
    if (run) {
      run.stopped = true;
      run.ctl.abort();
    }
    await this.#running;
  }

  /** Uses `rung` only (or the automatic ladder with null), switching now. */
  force(rung: RungName | null): void {
    this.#forced = this.#known(rung);
    this.#run?.ctl.abort();
  }

  /**
   * Runs a request while a transport that holds the page's Http is away, then resumes it (by id, so
   * nothing is lost): some managers serialize GM requests, so a call would wait behind the stream.
   */
  async whilePaused<T>(fn: () => Promise<T>): Promise<T> {
    if (!this.#run?.current?.holdsHttp) return fn();
    if (this.#pauses++ === 0) this.#resumed = new Promise((r) => (this.#resume = r));
    this.#run.ctl.abort();
    try {
      return await fn();
    } finally {
      if (--this.#pauses === 0) this.#resume?.();
    }
  }

  #known(rung: RungName | null): RungName | null {
    return rung && this.rungs.includes(rung) ? rung : null;
  }

  #remember(change: (m: RememberedRungs) => void): void {
    if (!this.#memory) return;
    try {
      const m = this.#memory.load();
      change(m);
      this.#memory.save(m);
    } catch {
      /* memory is a hint only */
    }
  }

  #recalled(): RememberedRungs {
    try {
      return this.#memory?.load() ?? {};
    } catch {
      return {};
    }
  }

  /** Ends the run for good after a 401: no other rung will do better with a dead token. */
  #lost(run: Run, name: RungName): void {
    if (run.stopped) return;
    this.#host.rung(name, 'down', 'signed out');
    run.stopped = true;
    run.ctl.abort();
    if (this.#run === run) this.#run = undefined;
    this.#host.authLost('Your session ended: sign in again');
  }

  async #loop(run: Run): Promise<void> {
    const pace: Pace = { climbs: 0, shortStreams: 0, first: true };
    while (!run.stopped) {
      if (this.#pauses > 0) await this.#resumed;
      if (run.stopped) break;
      run.ctl = new AbortController();
      const forced = this.#forced && this.#transports.find((t) => t.rung.name === this.#forced);
      if (forced) await this.#keep(run, [forced], run.ctl.signal, true);
      else await this.#round(run, pace);
    }
    run.current = undefined;
  }

  /** One round: the floor at once, the streams probed beside it; a stream that delivers takes over until it ends. */
  async #round(run: Run, pace: Pace): Promise<void> {
    const plan = this.#plan();
    run.current = undefined;
    const floorCtl = new AbortController();
    const stopFloor = () => floorCtl.abort();
    run.ctl.signal.addEventListener('abort', stopFloor);
    const floor = this.#keep(run, plan.floors, floorCtl.signal, false);
    const streamed = await this.#probeStreams(run, plan, floorCtl, pace);
    if (!streamed && !run.ctl.signal.aborted) await floor; // no streams at all: the floor is the ladder
    floorCtl.abort();
    run.ctl.signal.removeEventListener('abort', stopFloor);
    await floor;
  }

  /** The floor and the streams worth probing now: not blocked by this page, the one live last time first. */
  #plan(): RoundPlan {
    const floors = this.#transports.filter((t) => !t.rung.streams);
    const streams = this.#transports.filter((t) => t.rung.streams);
    if (!floors.length && streams.length) floors.push(streams.pop() as Transport);
    const memory = this.#recalled();
    const now = Date.now();
    const probes = streams
      .filter((t) => !(memory.blocked?.[t.rung.name] && now - (memory.blocked[t.rung.name] ?? 0) < BLOCKED_MS))
      .sort((a, b) => Number(b.rung.name === memory.last) - Number(a.rung.name === memory.last));
    return { floors, probes, streamedBefore: !memory.last || this.#streams(memory.last) };
  }

  /** Probes the streams, then again later and less often, until one delivers (true) or the round is aborted. */
  async #probeStreams(run: Run, plan: RoundPlan, floorCtl: AbortController, pace: Pace): Promise<boolean> {
    // Last time no stream came up here (a manager that buffers, TornPDA): probe later, not at once.
    let wait =
      pace.first && !plan.streamedBefore ? backoffDelay(0, this.#climb) : pace.shortStreams ? backoffDelay(pace.shortStreams - 1, RETRY) : 0;
    pace.first = false;
    while (!run.ctl.signal.aborted && plan.probes.length) {
      if (wait) await sleep(wait, run.ctl.signal);
      if (run.ctl.signal.aborted) break;
      for (const t of plan.probes) {
        const startedAt = Date.now();
        const r = await this.#probe(run, t, floorCtl);
        if (r.status === 401) this.#lost(run, t.rung.name);
        if (run.ctl.signal.aborted) break;
        if (r.blocked) this.#remember((m) => ((m.blocked ??= {})[t.rung.name] = Date.now()));
        if (r.live) {
          this.#host.rung(t.rung.name, 'down', r.error);
          pace.shortStreams = Date.now() - startedAt > LIVED_MS ? 0 : Math.min(pace.shortStreams + 1, 5);
          pace.climbs = 0;
          return true;
        }
      }
      if (run.ctl.signal.aborted) break;
      // Nothing streams now: the whole-answer rung carries on; try the streams again later.
      this.#remember((m) => {
        if (m.last && this.#streams(m.last)) m.last = plan.floors[0]?.rung.name;
      });
      wait = backoffDelay(pace.climbs++, this.#climb);
    }
    return false;
  }

  /** Is `name` one of this ladder's streams? */
  #streams(name: RungName): boolean {
    return this.#transports.some((t) => t.rung.name === name && t.rung.streams);
  }

  /** Runs a stream beside the floor; once it delivers it takes over (the floor stops) until it ends. */
  async #probe(run: Run, t: Transport, floorCtl: AbortController): Promise<TransportEnd> {
    return t.run(run.ctl.signal, () => {
      if (run.stopped || run.ctl.signal.aborted) return;
      floorCtl.abort();
      run.current = t;
      this.#host.rung(t.rung.name, 'live');
      this.#remember((m) => (m.last = t.rung.name));
    });
  }

  /**
   * Keeps one of `rungs` connected until `signal` aborts: reconnects one that was live (with back-off),
   * steps down when one never comes up or keeps dying. `alone`: a rung forced in the settings.
   */
  async #keep(run: Run, rungs: Transport[], signal: AbortSignal, alone: boolean): Promise<void> {
    let i = 0;
    let failures = 0;
    while (!signal.aborted && !run.stopped) {
      const transport = rungs[i];
      const name = transport.rung.name;
      if (!run.current || !run.current.rung.streams) run.current = transport;
      this.#host.rung(name, 'connecting');
      const startedAt = Date.now();
      const r = await transport.run(signal, () => {
        if (signal.aborted) return;
        run.current = transport;
        this.#host.rung(name, 'live');
        if (!alone && !transport.rung.streams) {
          this.#remember((m) => {
            if (!m.last || !this.#streams(m.last)) m.last = name;
          });
        }
      });
      if (run.stopped || signal.aborted) break;
      if (r.status === 401) return this.#lost(run, name);
      this.#host.rung(name, 'down', r.error);
      const lived = r.live && Date.now() - startedAt > LIVED_MS;
      if (lived) failures = 0;
      else failures++;
      // Never came up: this rung does not work here. Comes up but keeps dying: it does not work either.
      if (i < rungs.length - 1 && (!r.live || failures >= MAX_FAILURES)) {
        i++;
        failures = 0;
        continue;
      }
      await sleep(lived ? 500 : backoffDelay(failures - 1, RETRY), signal);
    }
  }
}
