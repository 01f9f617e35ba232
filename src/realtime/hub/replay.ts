import type { Logger } from 'pino';
import { toError } from '../../errors.js';
import { OutboundEvent, resetEvent } from '../outbound-event.js';
import type { Attached, Channel } from './channel.js';
import type { EventReader } from './event-reader.js';
import type { HubObserver } from './observer.js';

export interface ReplayOptions {
  reader: EventReader;
  log: Logger;
  /** Events read from the log per query. */
  batch: number;
  /** Backlog past which a subscriber stops being pushed to and pulls at its own pace. */
  lagBytes: number;
  /** A backlog that has not drained for this long is a client that stopped reading: cut. */
  stallMs: number;
  /** Reads the faction's log up to `seq` into the channel (a client is ahead of this node). */
  ingest(factionId: number, ch: Channel, seq: number): Promise<void>;
  observer: HubObserver;
}

/**
 * One subscriber's way from where it is to the live stream: what it missed, from the window or the
 * log, written no faster than its network takes it. Live delivery skips it while this runs.
 */
export class Replayer {
  #o: ReplayOptions;

  constructor(o: ReplayOptions) {
    this.#o = o;
  }

  /** Resolves true once the subscriber's backlog is down to half the lag bound, false if it stalled. */
  async #drained(a: Attached): Promise<boolean> {
    const since = Date.now();
    // Checks soon at first (a reading client drains in a few ms), then every 25 ms.
    for (let i = 0; !a.closed && a.sub.backlog() > this.#o.lagBytes / 2; i++) {
      if (Date.now() - since > this.#o.stallMs) return false;
      await new Promise((r) => setTimeout(r, Math.min(25, 2 ** i)));
    }
    return true;
  }

  async replay(ch: Channel, a: Attached): Promise<void> {
    const { reader, batch: batchSize, lagBytes } = this.#o;
    a.replaying = true;
    // Events read from the log but not yet written (the client's network was behind): at most one batch.
    let pending: OutboundEvent[] = [];
    let replayed = false;
    try {
      while (!a.closed) {
        if (a.sub.backlog() > lagBytes && !(await this.#drained(a))) {
          this.#o.log.warn({ factionId: a.sub.factionId, backlog: a.sub.backlog() }, 'subscriber stopped reading: disconnecting it');
          this.#o.observer.cut(a.sub.transport);
          ch.cut(a);
          return;
        }
        if (a.closed) return;
        pending = pending.filter((ev) => ev.seq > a.lastSeq);
        const batch =
          ch.fromWindow(a.lastSeq, batchSize) ??
          (pending[0]?.seq === a.lastSeq + 1
            ? pending
            : (pending = (await reader.read(a.sub.factionId, a.lastSeq, batchSize)).map(OutboundEvent.from)));
        if (batch.length === 0) {
          // Caught up with what the hub has delivered: from here on, live delivery takes over.
          // No await separates this check from the flag, so no event can slip between them.
          if (a.lastSeq >= ch.head) {
            // The client is ahead of this node (it read the log's head elsewhere): read up to it;
            // live delivery skips what it already has.
            if (a.lastSeq > ch.head) void this.#o.ingest(a.sub.factionId, ch, a.lastSeq);
            break;
          }
          // The hub has events past lastSeq that neither the window nor the log still holds
          // (pruned while we replayed): the client must re-read the snapshot.
          this.#o.observer.reset();
          if (!ch.write(a, resetEvent(ch.head))) return;
          continue;
        }
        for (const ev of batch) {
          if (ev.seq !== a.lastSeq + 1) continue;
          if (a.sub.backlog() > lagBytes) break;
          if (!ch.write(a, ev)) return;
          if (!replayed) this.#o.observer.replayed();
          replayed = true;
        }
        if (a.lastSeq > ch.head) void this.#o.ingest(a.sub.factionId, ch, a.lastSeq);
      }
    } catch (e) {
      this.#o.log.warn({ factionId: a.sub.factionId, err: toError(e) }, 'replay failed; disconnecting the subscriber so it resumes');
      ch.cut(a);
    } finally {
      a.replaying = false;
    }
  }
}
