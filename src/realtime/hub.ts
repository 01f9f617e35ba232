import type { Logger } from 'pino';
import type { Database } from '../db/database.js';
import { toError } from '../errors.js';
import { headSeq, headSeqs, oldestSeq, readEvents } from './event-log.js';
import { OutboundEvent, resetEvent } from './outbound-event.js';

/** A connected member, whatever the transport. */
export interface Subscriber {
  readonly factionId: number;
  /** Writes one event. Returns false when the client is gone (the transport closed it). */
  write(event: OutboundEvent): boolean;
  /** Bytes written to the client that the network has not taken yet. */
  backlog(): number;
  /** Disconnects the client (it stopped reading); it resumes from its last id. */
  cut(): void;
}

interface Attached {
  sub: Subscriber;
  lastSeq: number;
  /**
   * Pulling what it missed from the window or the log (after subscribing, after a gap, or while its
   * backlog drains); live delivery skips it until it has caught up.
   */
  replaying: boolean;
  closed: boolean;
}

/** One faction's recent events and who listens to them. */
class Channel {
  head: number;
  readonly window: OutboundEvent[] = [];
  /** Sum of the window's `data` JSON lengths. */
  windowBytes = 0;
  readonly attached = new Set<Attached>();
  readonly waiters = new Set<() => void>();
  wanted = 0;
  fetching: Promise<void> | null = null;
  /** Since when nobody has used the channel (undefined: in use, or not yet seen idle). */
  idleSince: number | undefined;

  constructor(head: number) {
    this.head = head;
  }

  /** Events after `seq` when the window still holds them all, else undefined. */
  fromWindow(seq: number, limit: number): OutboundEvent[] | undefined {
    // Past what this node has read (a client ahead of us, or a bogus id): only the log can say.
    if (seq > this.head) return undefined;
    const first = this.window[0];
    if (!first || seq < first.seq - 1) return seq === this.head ? [] : undefined;
    const start = seq - first.seq + 1;
    return this.window.slice(start, start + limit);
  }
}

export interface HubOptions {
  db: Database;
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
}

/**
 * Fans each faction's events out to its subscribers. Events come from the event log only: a
 * NOTIFY (or the catch-up timer) says "the log of faction F reached seq S", the hub reads what it
 * has not seen, in order, and writes it to every live subscriber. A subscriber that resumes from
 * an older position replays from the in-memory window or, past it, from the log, then goes live.
 */
export class Hub {
  #db: Database;
  #log: Logger;
  #windowSize: number;
  #windowBytes: number;
  #batch: number;
  #lagBytes: number;
  #stallMs: number;
  #idleChannelMs: number;
  #channels = new Map<number, Promise<Channel>>();
  #ready = new Map<number, Channel>();
  /**
   * Per faction, subscribes and long-polls under way. They hold the channel between getting it and
   * attaching (or waiting), across awaits, so the idle sweep must not drop it under them.
   */
  #pins = new Map<number, number>();

  constructor(o: HubOptions) {
    this.#db = o.db;
    this.#log = o.log;
    this.#windowSize = o.windowSize ?? 1000;
    this.#windowBytes = o.windowBytes ?? 4 << 20;
    this.#batch = o.batchSize ?? 500;
    this.#lagBytes = o.lagBytes ?? 256 << 10;
    this.#stallMs = o.stallMs ?? 15_000;
    this.#idleChannelMs = o.idleChannelMs ?? 600_000;
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
      ch = headSeq(this.#db, factionId).then((h) => {
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
    void this.#channel(factionId).then((ch) => this.#ingest(factionId, ch, seq));
  }

  /** Asks the log for the heads of every faction we serve and delivers what NOTIFY did not announce. */
  async catchUp(): Promise<void> {
    this.#dropIdle(Date.now());
    const ids = [...this.#channels.keys()];
    if (ids.length === 0) return;
    const heads = await headSeqs(this.#db, ids);
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
          const rows = await readEvents(this.#db, factionId, ch.head, this.#batch);
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
      }
    })();
    return ch.fetching;
  }

  #publish(ch: Channel, ev: OutboundEvent): void {
    ch.head = ev.seq;
    ch.window.push(ev);
    ch.windowBytes += ev.dataJson.length;
    let drop = 0;
    while (ch.window.length - drop > this.#windowSize || (ch.windowBytes > this.#windowBytes && ch.window.length - drop > 1)) {
      ch.windowBytes -= ch.window[drop].dataJson.length;
      drop++;
    }
    if (drop) ch.window.splice(0, drop);
    for (const a of ch.attached) {
      if (a.replaying || a.closed || ev.seq <= a.lastSeq) continue;
      // A gap, or a client whose network is behind: it pulls from the window/log at its own pace.
      if (ev.seq > a.lastSeq + 1 || a.sub.backlog() > this.#lagBytes) void this.#replay(ch, a);
      else this.#write(ch, a, ev);
    }
    for (const w of ch.waiters) w();
  }

  #write(ch: Channel, a: Attached, ev: OutboundEvent): boolean {
    a.lastSeq = ev.seq;
    if (a.sub.write(ev)) return true;
    a.closed = true;
    ch.attached.delete(a);
    return false;
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
    const detach = () => {
      a.closed = true;
      ch.attached.delete(a);
    };
    if (fromSeq !== undefined && !(await this.#resumable(ch, sub.factionId, fromSeq))) {
      const head = Math.max(ch.head, await headSeq(this.#db, sub.factionId));
      if (!this.#write(ch, a, resetEvent(head))) return detach;
    }
    // The replay paces itself on the client's network; the caller need not wait for it.
    void this.#replay(ch, a);
    return detach;
  }

  /** Can the faction's stream continue right after `seq`? Not when the log lost it or never had it. */
  async #resumable(ch: Channel, factionId: number, seq: number): Promise<boolean> {
    if (seq < 0) return false;
    if (ch.fromWindow(seq, 1) !== undefined) return true;
    const head = await headSeq(this.#db, factionId);
    if (seq > head) return false;
    if (seq === head) return true;
    const oldest = await oldestSeq(this.#db, factionId);
    return oldest !== null && seq >= oldest - 1;
  }

  /** Resolves true once the subscriber's backlog is down to half the lag bound, false if it stalled. */
  async #drained(a: Attached): Promise<boolean> {
    const since = Date.now();
    // Checks soon at first (a reading client drains in a few ms), then every 25 ms.
    for (let i = 0; !a.closed && a.sub.backlog() > this.#lagBytes / 2; i++) {
      if (Date.now() - since > this.#stallMs) return false;
      await new Promise((r) => setTimeout(r, Math.min(25, 2 ** i)));
    }
    return true;
  }

  #cut(ch: Channel, a: Attached): void {
    a.closed = true;
    ch.attached.delete(a);
    a.sub.cut();
  }

  async #replay(ch: Channel, a: Attached): Promise<void> {
    a.replaying = true;
    // Events read from the log but not yet written (the client's network was behind): at most one batch.
    let pending: OutboundEvent[] = [];
    try {
      while (!a.closed) {
        if (a.sub.backlog() > this.#lagBytes && !(await this.#drained(a))) {
          this.#log.warn({ factionId: a.sub.factionId, backlog: a.sub.backlog() }, 'subscriber stopped reading: disconnecting it');
          this.#cut(ch, a);
          return;
        }
        if (a.closed) return;
        pending = pending.filter((ev) => ev.seq > a.lastSeq);
        const batch =
          ch.fromWindow(a.lastSeq, this.#batch) ??
          (pending[0]?.seq === a.lastSeq + 1
            ? pending
            : (pending = (await readEvents(this.#db, a.sub.factionId, a.lastSeq, this.#batch)).map(OutboundEvent.from)));
        if (batch.length === 0) {
          // Caught up with what the hub has delivered: from here on, live delivery takes over.
          // No await separates this check from the flag, so no event can slip between them.
          if (a.lastSeq >= ch.head) {
            // The client is ahead of this node (it read the log's head elsewhere): read up to it;
            // live delivery skips what it already has.
            if (a.lastSeq > ch.head) void this.#ingest(a.sub.factionId, ch, a.lastSeq);
            break;
          }
          // The hub has events past lastSeq that neither the window nor the log still holds
          // (pruned while we replayed): the client must re-read the snapshot.
          if (!this.#write(ch, a, resetEvent(ch.head))) return;
          continue;
        }
        for (const ev of batch) {
          if (ev.seq !== a.lastSeq + 1) continue;
          if (a.sub.backlog() > this.#lagBytes) break;
          if (!this.#write(ch, a, ev)) return;
        }
        if (a.lastSeq > ch.head) void this.#ingest(a.sub.factionId, ch, a.lastSeq);
      }
    } catch (e) {
      this.#log.warn({ factionId: a.sub.factionId, err: toError(e) }, 'replay failed; disconnecting the subscriber so it resumes');
      this.#cut(ch, a);
    } finally {
      a.replaying = false;
    }
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
      return await this.#poll(factionId, since, waitMs, limit, signal);
    } finally {
      this.#unpin(factionId);
    }
  }

  async #poll(
    factionId: number,
    since: number,
    waitMs: number,
    limit: number,
    signal?: AbortSignal,
  ): Promise<{ events: OutboundEvent[]; seq: number }> {
    const ch = await this.#channel(factionId);
    if (!(await this.#resumable(ch, factionId, since))) {
      const head = Math.max(ch.head, await headSeq(this.#db, factionId));
      return { events: [resetEvent(head)], seq: head };
    }
    let events = await this.#after(ch, factionId, since, limit);
    if (events.length === 0 && waitMs === 0) {
      // The hub may not have heard yet of a commit whose NOTIFY is on its way: a poll that will not
      // wait for that NOTIFY asks the log once, so a poll right after a write sees it.
      const head = await headSeq(this.#db, factionId);
      if (head > ch.head) {
        await this.#ingest(factionId, ch, head);
        events = await this.#after(ch, factionId, since, limit);
      }
    }
    if (events.length === 0 && waitMs > 0 && !signal?.aborted) {
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          ch.waiters.delete(done);
          signal?.removeEventListener('abort', done);
          resolve();
        };
        const timer = setTimeout(done, waitMs);
        ch.waiters.add(done);
        signal?.addEventListener('abort', done);
        // Published between the read above and now: answer at once.
        if (ch.head > since) done();
      });
      events = await this.#after(ch, factionId, since, limit);
    }
    const last = events.at(-1);
    return { events, seq: last ? last.seq : since };
  }

  async #after(ch: Channel, factionId: number, since: number, limit: number): Promise<OutboundEvent[]> {
    return ch.fromWindow(since, limit) ?? (await readEvents(this.#db, factionId, since, limit)).map(OutboundEvent.from);
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

  /** How many subscribers are attached (metrics and tests). */
  subscriberCount(): number {
    return this.stats().subscribers;
  }
}
