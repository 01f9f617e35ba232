import type { OutboundEvent } from '../outbound-event.js';

/** A connected member, whatever the transport. */
export interface Subscriber {
  readonly factionId: number;
  /** How it is connected (`sse`, `websocket`), for the metrics. */
  readonly transport?: string;
  /** Writes one event. Returns false when the client is gone (the transport closed it). */
  write(event: OutboundEvent): boolean;
  /** Bytes written to the client that the network has not taken yet. */
  backlog(): number;
  /** Disconnects the client (it stopped reading); it resumes from its last id. */
  cut(): void;
}

/** A subscriber on a channel, and where it is in the faction's stream. */
export interface Attached {
  sub: Subscriber;
  lastSeq: number;
  /**
   * Pulling what it missed from the window or the log (after subscribing, after a gap, or while its
   * backlog drains); live delivery skips it until it has caught up.
   */
  replaying: boolean;
  closed: boolean;
}

/** How much of its recent stream a channel keeps in memory. */
export interface WindowLimits {
  events: number;
  /** Sum of the events' `data` JSON lengths; the newest event stays whatever its size. */
  bytes: number;
}

/** One faction's recent events (the window) and who listens to them. */
export class Channel {
  head: number;
  readonly window: OutboundEvent[] = [];
  windowBytes = 0;
  readonly attached = new Set<Attached>();
  /** Long-polls waiting for the next event. */
  readonly waiters = new Set<() => void>();
  /** The highest seq the log is known to have reached; the ingest reads up to it. */
  wanted = 0;
  fetching: Promise<void> | null = null;
  /** Since when nobody has used the channel (undefined: in use, or not yet seen idle). */
  idleSince: number | undefined;
  /** When the log was first said to hold events this node has not published yet (lag metric). */
  announcedAt: number | undefined;

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

  /** Makes `ev` the head and keeps the window within its limits, oldest out first. */
  append(ev: OutboundEvent, limits: WindowLimits): void {
    this.head = ev.seq;
    this.window.push(ev);
    this.windowBytes += ev.dataJson.length;
    let drop = 0;
    while (this.window.length - drop > limits.events || (this.windowBytes > limits.bytes && this.window.length - drop > 1)) {
      this.windowBytes -= this.window[drop].dataJson.length;
      drop++;
    }
    if (drop) this.window.splice(0, drop);
  }

  /** Writes `ev` to one subscriber; one whose transport is gone leaves the channel. */
  write(a: Attached, ev: OutboundEvent): boolean {
    a.lastSeq = ev.seq;
    if (a.sub.write(ev)) return true;
    this.detach(a);
    return false;
  }

  detach(a: Attached): void {
    a.closed = true;
    this.attached.delete(a);
  }

  /** Disconnects a subscriber that stopped reading. */
  cut(a: Attached): void {
    this.detach(a);
    a.sub.cut();
  }
}
