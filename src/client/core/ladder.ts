import { backoffDelay, type BackoffOptions } from '../../backoff.js';
import type { RungName } from '../../protocol/userscript-config.js';
import { sleep } from './sleep.js';
import type { Transport } from './transports/transport.js';

export type RungState = 'connecting' | 'live' | 'down';

/** What the ladder tells the client around it. */
export interface LadderHost {
  rung(name: RungName, state: RungState, note?: string): void;
  authLost(message: string): void;
}

/** Reconnecting a rung that keeps failing: 0.5–1 s, then doubling, up to 30 s. */
const RETRY: BackoffOptions = { baseMs: 1000, maxMs: 30_000 };
/** A connection that lasted this long worked: the next one starts the back-off over. */
const LIVED_MS = 5000;
/** A rung that comes up but dies this many times in a row gives way to the next one down. */
const MAX_FAILURES = 3;

/** One start…stop of the ladder; a stopped run finishes on its own while a new one may start. */
interface Run {
  stopped: boolean;
  ctl: AbortController;
  current: Transport | undefined;
}

/**
 * Keeps one transport connected: starts at the best rung (or the one forced in the settings), steps
 * down when a rung never comes up or keeps dying, reconnects one that was live, and has every rung
 * resume from the client's last event id, so switching loses nothing.
 */
export class Ladder {
  readonly #host: LadderHost;
  readonly #transports: Transport[];
  #forced: RungName | null = null;
  #run: Run | undefined;
  #running: Promise<void> = Promise.resolve();
  #restart = false;
  #pauses = 0;
  #resume: (() => void) | undefined;
  #resumed: Promise<void> = Promise.resolve();

  constructor(host: LadderHost, transports: readonly Transport[]) {
    this.#host = host;
    this.#transports = [...transports];
  }

  get rungs(): RungName[] {
    return this.#transports.map((t) => t.name);
  }

  get current(): RungName | undefined {
    return this.#run?.current?.name;
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
    this.#restart = true;
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

  async #loop(run: Run): Promise<void> {
    let i = 0;
    let failures = 0;
    while (!run.stopped) {
      if (this.#pauses > 0) await this.#resumed;
      if (run.stopped) break;
      if (this.#restart) {
        this.#restart = false;
        i = 0;
        failures = 0;
      }
      const transport = (this.#forced && this.#transports.find((t) => t.name === this.#forced)) || this.#transports[i];
      const name = transport.name;
      run.ctl = new AbortController();
      run.current = transport;
      this.#host.rung(name, 'connecting');
      const startedAt = Date.now();
      const r = await transport.run(run.ctl.signal, () => this.#host.rung(name, 'live'));
      if (run.stopped) break;
      if (this.#restart || this.#pauses > 0) continue; // switched, or away for a call: again, from the last id
      if (r.status === 401) {
        this.#host.rung(name, 'down', 'signed out');
        run.stopped = true;
        if (this.#run === run) this.#run = undefined;
        this.#host.authLost('Your session ended: sign in again');
        break;
      }
      this.#host.rung(name, 'down', r.error);
      const lived = r.live && Date.now() - startedAt > LIVED_MS;
      if (lived) failures = 0;
      else failures++;
      const lower = !this.#forced && i < this.#transports.length - 1;
      // Never came up: this rung does not work here. Comes up but keeps dying: it does not work either.
      if (lower && (!r.live || failures >= MAX_FAILURES)) {
        i++;
        failures = 0;
        continue;
      }
      await sleep(lived ? 500 : backoffDelay(failures - 1, RETRY), run.ctl.signal);
    }
    run.current = undefined;
  }
}
