import type { OutboundEvent } from '../outbound-event.js';
import type { Channel } from './channel.js';

/** What a long-poll needs of the hub. */
export interface LongPollSource {
  /** The log's head now (the hub may not have heard of a commit whose NOTIFY is on its way). */
  head(): Promise<number>;
  /** Reads the log up to `seq` into the channel. */
  ingest(seq: number): Promise<void>;
  /** Events after `since`, from the window or the log. */
  after(since: number, limit: number): Promise<OutboundEvent[]>;
}

/**
 * The events after `since` (at most `limit`), waiting up to `waitMs` for the first one when there
 * is none yet; the position is known to be resumable.
 */
export async function longPoll(
  ch: Channel,
  source: LongPollSource,
  since: number,
  waitMs: number,
  limit: number,
  signal?: AbortSignal,
): Promise<{ events: OutboundEvent[]; seq: number }> {
  let events = await source.after(since, limit);
  if (events.length === 0 && waitMs === 0) {
    // A poll that will not wait for the NOTIFY asks the log once, so a poll right after a write sees it.
    const head = await source.head();
    if (head > ch.head) {
      await source.ingest(head);
      events = await source.after(since, limit);
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
    events = await source.after(since, limit);
  }
  const last = events.at(-1);
  return { events, seq: last ? last.seq : since };
}
