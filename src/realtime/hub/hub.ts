import type { Logger } from 'pino';
import { toError } from '../../errors.js';
import { OutboundEvent, resetEvent } from '../outbound-event.js';
import { Channel, type Attached, type Subscriber, type WindowLimits } from './channel.js';
import type { EventReader } from './event-reader.js';
import { longPoll } from './long-poll.js';
import { unobserved, type HubObserver } from './observer.js';
import { Replayer } from './replay.js';

export type { Subscriber } from './channel.js';

export interface HubOptions {
  /** The event log (logReader(db) in production). */
  events: EventReader;
  log: Logger;
  /** Recent events kept in memory per faction. @default 1000 */
  windowSize?: number;
  /** …and at most about this many bytes of them (their `data` JSON), whatever their size. @default 4 MiB */
  windowBytes?: number;
  /** Events read from the log per query while catching up. @default 500 */
  batchSize?: number;
  /**
   * A subscriber whose backlog passes this stops receiving pushes and pulls what it missed once the
   * network has taken its backlog, so no subscriber ever holds more than about this much unsent.
   * @default 256 KiB
   */
  lagBytes?: number;
  /** A subscriber whose backlog has not drained for this long stopped reading: it is cut. @default 15000 */
  stallMs?: number;
  /**
   * A faction's channel (its window included) is dropped once it has had no subscriber and no
   * long-poll for this long, checked at each catch-up; the next one re-creates it from the log.
   * @default 600000 (10 minutes)
   */
  idleChannelMs?: number;
  /** Told of each event fanned out, replay, reset and cut (the metrics). */
  observer?: HubObserver;
}

/**
 * Fans each faction's events out to its subscribers. Events come from the event log only: a
 * NOTIFY (or the catch-up timer) says "the log of faction F reached seq S", the hub reads what it
 * has not seen, in order, and writes it to every live subscriber. A subscriber that resumes from
 * an older position replays from the in-memory window or, past it, from the log, then goes live.
 */
export class Hub {
  #events: EventReader;
  #log: Logger;
  #window: WindowLimits;
  #batch: number;
  #lagBytes: number;
  #idleChannelMs: number;
  #replayer: Replayer;
  #observer: HubObserver;
  #channels = new Map<number, Promise<Channel>>();
  #ready = new Map<number, Channel>();
  /**
   * Per faction, subscribes and long-polls under way. They hold the channel between getting it and
   * attaching (or waiting), across awaits, so the idle sweep must not drop it under them.
   */
  #pins = new Map<number, number>();

  constructor(o: HubOptions) {
    this.#events = o.events;
    this.#log = o.log;
    this.#window = { events: o.windowSize ?? 1000, bytes: o.windowBytes ?? 4 << 20 };
    this.#batch = o.batchSize ?? 500;
    this.#lagBytes = o.lagBytes ?? 256 << 10;
    this.#idleChannelMs = o.idleChannelMs ?? 600_000;
    this.#observer = o.observer ?? unobserved;
    this.#replayer = new Replayer({
      reader: o.events,
      log: o.log,
      batch: this.#batch,
      lagBytes: this.#lagBytes,
      stallMs: o.stallMs ?? 15_000,
      observer: this.#observer,
      ingest: (f, ch, seq) => this.#ingest(f, ch, seq),
    });
  }

  #pin(factionId: number): void {
    this.#pins.set(factionId, (this.#pins.get(factionId) ?? 0) + 1);
  }

  #unpin(factionId: number): void {
    const n = (this.#pins.get(factionId) ?? 1) - 1;
    if (n > 0) this.#pins.set(factionId, n);
    else this.#pins.delete(factionId);
    // A poll that came and went between two sweeps still counts as use.
    const ch = this.#ready.get(factionId);
    if (ch) ch.idleSince = Date.now();
  }

  /**
   * Drops the channels nobody has used for idleChannelMs, so memory follows the factions being
   * watched, not every faction ever seen. Synchronous: nothing can attach between the check and
   * the drop, and a subscribe under way is pinned, so a dropped channel has nobody to lose.
   */
  #dropIdle(now: number): void {
    for (const [f, ch] of this.#ready) {
      if (ch.attached.size > 0 || ch.waiters.size > 0 || this.#pins.has(f)) {
        ch.idleSince = undefined;
        continue;
      }
      ch.idleSince ??= now;
      if (now - ch.idleSince < this.#idleChannelMs) continue;
      this.#ready.delete(f);
      this.#channels.delete(f);
      this.#log.debug({ factionId: f, idleMs: now - ch.idleSince }, 'dropped an idle faction channel');
    }
  }

  #channel(factionId: number): Promise<Channel> {
    let ch = this.#channels.get(factionId);
    if (!ch) {
      ch = this.#events.head(factionId).then((h) => {
        const c = new Channel(h);
        this.#ready.set(factionId, c);
        return c;
      });
      this.#channels.set(factionId, ch);
      ch.catch(() => this.#channels.delete(factionId));
    }
    return ch;
  }

  /** The faction's log reached `seq` (a NOTIFY said so): read and deliver what is new. */
  wake(factionId: number, seq: number): void {
    // Nobody here listens to this faction: nothing to deliver, and the log keeps it for later.
    if (!this.#channels.has(factionId)) return;
    const now = performance.now();
    // A channel whose first read failed (database away) is dropped and its subscriber told; here
    // the rejection has nobody else to go to, and unhandled it would end the process.
    void this.#channel(factionId).then(
      (ch) => {
        if (seq > ch.head) ch.announcedAt ??= now;
        return this.#ingest(factionId, ch, seq);
      },
      () => {},
    );
  }

  /** Asks the log for the heads of every faction we serve and delivers what NOTIFY did not announce. */
  async catchUp(): Promise<void> {
    this.#dropIdle(Date.now());
    const ids = [...this.#channels.keys()];
    if (ids.length === 0) return;
    const heads = await this.#events.heads(ids);
    for (const [f, h] of heads) this.wake(f, h);
  }

  #ingest(factionId: number, ch: Channel, seq: number): Promise<void> {
    ch.wanted = Math.max(ch.wanted, seq);
    // Nothing new (the catch-up timer's usual case): start nothing. Without this guard the async
    // body below would run to its `finally` synchronously, before `??=` stored its promise, and
    // leave a settled promise in `fetching` that made every later wake a no-op.
    if (ch.head >= ch.wanted) return ch.fetching ?? Promise.resolve();
    ch.fetching ??= (async () => {
      try {
        while (ch.head < ch.wanted) {
          const rows = await this.#events.read(factionId, ch.head, this.#batch);
          if (rows.length === 0) break;
          for (const row of rows) {
            if (row.seq !== ch.head + 1) break;
            this.#publish(ch, OutboundEvent.from(row));
          }
        }
      } catch (e) {
        this.#log.warn({ factionId, err: toError(e) }, 'could not read the event log; the catch-up timer will retry');
      } finally {
        ch.fetching = null;
        if (ch.head >= ch.wanted) ch.announcedAt = undefined;
      }
    })();
    return ch.fetching;
  }

  #publish(ch: Channel, ev: OutboundEvent): void {
    ch.append(ev, this.#window);
    let delivered = 0;
    for (const a of ch.attached) {
      if (a.replaying || a.closed || ev.seq <= a.lastSeq) continue;
      // A gap, or a client whose network is behind: it pulls from the window/log at its own pace.
      if (ev.seq > a.lastSeq + 1 || a.sub.backlog() > this.#lagBytes) void this.#replayer.replay(ch, a);
      else if (ch.write(a, ev)) delivered++;
    }
    for (const w of ch.waiters) w();
    this.#observer.published(delivered, ch.announcedAt === undefined ? undefined : performance.now() - ch.announcedAt);
  }

  /**
   * Attaches a subscriber that has seen everything up to `fromSeq` (undefined: it wants only what
   * comes next). It first gets what it missed, in order, then live events; a position the log no
   * longer holds (or never held) gets a `reset` first. Returns the detach function.
   */
  async subscribe(sub: Subscriber, fromSeq: number | undefined): Promise<() => void> {
    this.#pin(sub.factionId);
    try {
      return await this.#attach(sub, fromSeq);
    } finally {
      this.#unpin(sub.factionId);
    }
  }

  async #attach(sub: Subscriber, fromSeq: number | undefined): Promise<() => void> {
    const ch = await this.#channel(sub.factionId);
    const a: Attached = { sub, lastSeq: fromSeq ?? ch.head, replaying: true, closed: false };
    ch.attached.add(a);
    const detach = () => ch.detach(a);
    if (fromSeq !== undefined && !(await this.#resumable(ch, sub.factionId, fromSeq))) {
      const head = Math.max(ch.head, await this.#events.head(sub.factionId));
      this.#observer.reset();
      if (!ch.write(a, resetEvent(head))) return detach;
    }
    // The replay paces itself on the client's network; the caller need not wait for it.
    void this.#replayer.replay(ch, a);
    return detach;
  }

  /** Can the faction's stream continue right after `seq`? Not when the log lost it or never had it. */
  async #resumable(ch: Channel, factionId: number, seq: number): Promise<boolean> {
    if (seq < 0) return false;
    if (ch.fromWindow(seq, 1) !== undefined) return true;
    const head = await this.#events.head(factionId);
    if (seq > head) return false;
    if (seq === head) return true;
    const oldest = await this.#events.oldest(factionId);
    return oldest !== null && seq >= oldest - 1;
  }

  /**
   * Long-poll: the events after `since` (at most `limit`), waiting up to `waitMs` for the first one
   * when there is none yet. A position the log cannot continue from answers a single `reset`.
   */
  async eventsAfter(
    factionId: number,
    since: number,
    waitMs: number,
    limit: number,
    signal?: AbortSignal,
  ): Promise<{ events: OutboundEvent[]; seq: number }> {
    this.#pin(factionId);
    try {
      const ch = await this.#channel(factionId);
      if (!(await this.#resumable(ch, factionId, since))) {
        const head = Math.max(ch.head, await this.#events.head(factionId));
        this.#observer.reset();
        return { events: [resetEvent(head)], seq: head };
      }
      return await longPoll(
        ch,
        {
          head: () => this.#events.head(factionId),
          ingest: (seq) => this.#ingest(factionId, ch, seq),
          after: async (from, max) => ch.fromWindow(from, max) ?? (await this.#events.read(factionId, from, max)).map(OutboundEvent.from),
        },
        since,
        waitMs,
        limit,
        signal,
      );
    } finally {
      this.#unpin(factionId);
    }
  }

  /** What the hub holds in memory (metrics and tests). */
  stats(): { factions: number; subscribers: number; windowEvents: number; windowBytes: number; waiters: number } {
    const out = { factions: this.#ready.size, subscribers: 0, windowEvents: 0, windowBytes: 0, waiters: 0 };
    for (const ch of this.#ready.values()) {
      out.subscribers += ch.attached.size;
      out.windowEvents += ch.window.length;
      out.windowBytes += ch.windowBytes;
      out.waiters += ch.waiters.size;
    }
    return out;
  }

  /** Open connections by transport (`sse`, `websocket`; `long-poll`: polls waiting), for the metrics. */
  connections(): Record<string, number> {
    const out: Record<string, number> = { 'long-poll': 0 };
    for (const ch of this.#ready.values()) {
      out['long-poll'] += ch.waiters.size;
      for (const a of ch.attached) {
        const t = a.sub.transport ?? 'other';
        out[t] = (out[t] ?? 0) + 1;
      }
    }
    return out;
  }

  /** How many subscribers are attached (metrics and tests). */
  subscriberCount(): number {
    return this.stats().subscribers;
  }
}
