import { ApiError, type TornCatApi } from '../api.js';
import { EVENT_NAMES, onEventSourceEvents } from '../event-source-events.js';
import { SseParser } from '../sse-parser.js';
import type { Snapshot, WarEvent } from '../war-state.js';

/** The realtime transports, best first (DESIGN "Transports on torn.com"). */
export const RUNGS = ['eventsource', 'gm-stream', 'long-poll', 'poll'] as const;
export type RungName = (typeof RUNGS)[number];

export const RUNG_LABELS: Record<RungName, string> = {
  eventsource: 'EventSource',
  'gm-stream': 'GM stream',
  'long-poll': 'long-poll',
  poll: 'polling',
};

/** What the ladder needs from the script around it. */
export interface LadderHost {
  readonly api: TornCatApi;
  readonly server: string;
  token(): string | null;
  /** The id of the last event applied (the snapshot's seq at first): every rung resumes from it. */
  lastSeq(): number;
  /** Applies events in order (re-reading the snapshot when they say so). */
  deliver(events: WarEvent[]): void;
  /** Loads a snapshot read by the polling rung. */
  snapshot(s: Snapshot): void;
  /** Is there an active war (the polling rung slows down without one)? */
  atWar(): boolean;
  rung(name: RungName, state: 'connecting' | 'live' | 'down', note?: string): void;
  authLost(message: string): void;
  readonly syncIntervalMs: number;
  readonly warCheckIntervalMs: number;
}

interface RungEnd {
  /** Did it deliver (or was it ready to) before it ended? */
  live: boolean;
  status?: number;
  error?: string;
}

type RunRung = (h: LadderHost, signal: AbortSignal, live: () => void) => Promise<RungEnd>;

/** How long a stream may stay silent before it counts as dead (the server's heartbeat is 15 s). */
const SILENCE_MS = 45_000;
/** How long a new stream may take to show its first bytes before the rung counts as unusable. */
const FIRST_BYTES_MS = 8_000;
const LONG_POLL_WAIT_S = 25;

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(t);
      resolve();
    });
  });
}

function backoff(n: number): number {
  return Math.min(30_000, 1000 * 2 ** Math.max(0, n - 1)) * (0.5 + Math.random() / 2);
}

const runEventSource: RunRung = (h, signal, live) =>
  new Promise((resolve) => {
    const token = h.token();
    if (typeof EventSource !== 'function' || !token) return resolve({ live: false, error: 'EventSource not available' });
    let wasLive = false;
    const es = new EventSource(`${h.server}/events?token=${encodeURIComponent(token)}&lastEventId=${h.lastSeq()}`);
    const end = (error: string) => {
      clearTimeout(timer);
      es.close();
      resolve({ live: wasLive, error });
    };
    const timer = setTimeout(() => end('no answer'), FIRST_BYTES_MS);
    es.onopen = () => {
      clearTimeout(timer);
      wasLive = true;
      live();
    };
    onEventSourceEvents(es, (ev) => h.deliver([ev]));
    // Blocked by CSP, refused (401) or dropped: we reconnect ourselves, from our own last id.
    es.onerror = () => end('connection failed');
    signal.addEventListener('abort', () => end('aborted'));
  });

const runGmStream: RunRung = (h, signal, live) =>
  new Promise((resolve) => {
    const token = h.token();
    if (!h.api.http.stream || h.api.http.name !== 'gm' || !token) return resolve({ live: false, error: 'no streaming GM_xmlhttpRequest' });
    let wasLive = false;
    let lastBytes = Date.now();
    const parser = new SseParser(
      (ev) => {
        if (EVENT_NAMES.includes(ev.event) && Number.isFinite(ev.id)) h.deliver([ev]);
      },
      () => {
        lastBytes = Date.now();
        if (!wasLive) {
          wasLive = true;
          live();
        }
      },
    );
    const stream = h.api.http.stream(
      `${h.server}/events?lastEventId=${h.lastSeq()}`,
      { accept: 'text/event-stream', authorization: `Bearer ${token}` },
      (text) => parser.feed(text),
    );
    // A manager that buffers the whole answer never shows a byte of an endless stream.
    const watchdog = setInterval(() => {
      if (Date.now() - lastBytes > (wasLive ? SILENCE_MS : FIRST_BYTES_MS)) stream.abort();
    }, 1000);
    signal.addEventListener('abort', () => stream.abort());
    void stream.done.then((r) => {
      clearInterval(watchdog);
      resolve({ live: wasLive, status: r.status, error: r.error });
    });
  });

const runLongPoll: RunRung = async (h, signal, live) => {
  let wasLive = false;
  for (;;) {
    if (signal.aborted) return { live: wasLive, error: 'aborted' };
    try {
      // The first ask answers at once (catching up, and proving the rung works); then the server holds.
      const r = await h.api.events(h.lastSeq(), wasLive ? LONG_POLL_WAIT_S : 0, signal);
      if (!wasLive) {
        wasLive = true;
        live();
      }
      if (r.events.length) h.deliver(r.events);
    } catch (e) {
      if ((e as Error).name === 'AbortError') return { live: wasLive, error: 'aborted' };
      return { live: wasLive, status: e instanceof ApiError ? e.status : 0, error: (e as Error).message };
    }
  }
};

const runPoll: RunRung = async (h, signal, live) => {
  let wasLive = false;
  for (;;) {
    if (signal.aborted) return { live: wasLive, error: 'aborted' };
    try {
      const s = await h.api.snapshot({ maxAgeMs: h.syncIntervalMs });
      if (signal.aborted) return { live: wasLive, error: 'aborted' };
      h.snapshot(s);
      if (!wasLive) {
        wasLive = true;
        live();
      }
    } catch (e) {
      return { live: wasLive, status: e instanceof ApiError ? e.status : 0, error: (e as Error).message };
    }
    await sleep(h.atWar() ? h.syncIntervalMs : h.warCheckIntervalMs, signal);
  }
};

const RUN: Record<RungName, RunRung> = {
  eventsource: runEventSource,
  'gm-stream': runGmStream,
  'long-poll': runLongPoll,
  poll: runPoll,
};

/**
 * Keeps one rung connected: starts at the best rung of `rungs` (or the one forced in the settings),
 * steps down when a rung never comes up, reconnects a rung that was live, and makes every rung
 * resume from the host's last event id, so switching loses nothing.
 */
export class Ladder {
  #rungs: RungName[];
  #forced: RungName | null = null;
  #ctl: AbortController | undefined;
  #current: RungName | undefined;
  #stopped = true;
  #restart = false;
  #pauses = 0;
  #resume: (() => void) | undefined;
  #resumed: Promise<void> = Promise.resolve();
  #running: Promise<void> | undefined;

  constructor(
    private readonly host: LadderHost,
    rungs: readonly RungName[],
  ) {
    this.#rungs = [...rungs];
  }

  get current(): RungName | undefined {
    return this.#current;
  }

  start(forced: RungName | null = null): void {
    this.#forced = forced && this.#rungs.includes(forced) ? forced : null;
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#running = this.#loop();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#ctl?.abort();
    await this.#running;
  }

  /** Uses `rung` only (or the automatic ladder with null), switching now. */
  force(rung: RungName | null): void {
    this.#forced = rung && this.#rungs.includes(rung) ? rung : null;
    this.#restart = true;
    this.#ctl?.abort();
  }

  /**
   * Runs a request while the hanging GM request is away: some managers (Tampermonkey under MV3)
   * serialize GM requests, so a call would wait behind the stream. The stream resumes by id after.
   */
  async whilePaused<T>(fn: () => Promise<T>): Promise<T> {
    const hanging = this.#current === 'gm-stream' || (this.#current === 'long-poll' && this.host.api.http.name === 'gm');
    if (!hanging) return fn();
    if (this.#pauses++ === 0) this.#resumed = new Promise((r) => (this.#resume = r));
    this.#ctl?.abort();
    try {
      return await fn();
    } finally {
      if (--this.#pauses === 0) this.#resume?.();
    }
  }

  async #loop(): Promise<void> {
    let i = 0;
    let failures = 0;
    while (!this.#stopped) {
      if (this.#pauses > 0) await this.#resumed;
      const name = this.#forced ?? this.#rungs[i];
      const ctl = new AbortController();
      this.#ctl = ctl;
      this.#current = name;
      this.host.rung(name, 'connecting');
      const startedAt = Date.now();
      const r = await RUN[name](this.host, ctl.signal, () => this.host.rung(name, 'live'));
      if (this.#stopped) break;
      if (this.#restart) {
        this.#restart = false;
        i = 0;
        failures = 0;
        continue;
      }
      if (this.#pauses > 0) continue; // aborted for a call: same rung, from the last id
      if (r.status === 401) {
        this.host.rung(name, 'down', 'signed out');
        this.host.authLost('Your session ended: sign in again');
        this.#stopped = true;
        break;
      }
      this.host.rung(name, 'down', r.error);
      const lived = r.live && Date.now() - startedAt > 5000;
      if (lived) failures = 0;
      else failures++;
      if (!this.#forced && !r.live && i < this.#rungs.length - 1) {
        i++; // this rung does not work here: the next one down, now
        failures = 0;
        continue;
      }
      if (!this.#forced && failures >= 3 && i < this.#rungs.length - 1) {
        i++; // it comes up but keeps dying
        failures = 0;
        continue;
      }
      await sleep(lived ? 500 : backoff(failures), ctl.signal);
    }
    this.#current = undefined;
  }
}
