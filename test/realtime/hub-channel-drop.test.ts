import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { backends } from '../helpers/databases.js';
import { sleep } from '../helpers/calls.js';
import type { Database } from '../../src/db/database.js';
import { createLogger } from '../../src/log.js';
import { headSeq } from '../../src/realtime/event-log.js';
import { appendMarker } from '../helpers/log-markers.js';
import { Hub, type HubOptions, type Subscriber } from '../../src/realtime/hub/hub.js';
import { logReader } from '../../src/realtime/hub/event-reader.js';
import type { OutboundEvent } from '../../src/realtime/outbound-event.js';

/** A connected member as the hub sees one: it records what it is sent and always keeps up. */
class FakeSubscriber implements Subscriber {
  readonly events: OutboundEvent[] = [];
  open = true;
  constructor(readonly factionId: number) {}
  write(event: OutboundEvent): boolean {
    if (!this.open) return false;
    this.events.push(event);
    return true;
  }
  backlog(): number {
    return 0;
  }
  cut(): void {
    this.open = false;
  }
  get seqs(): number[] {
    return this.events.map((e) => e.seq);
  }
  async until(seq: number, timeoutMs = 5000): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (this.events.at(-1)?.seq !== seq) {
      if (Date.now() > end) throw new Error(`waited for seq ${seq}, got ${JSON.stringify(this.seqs)}`);
      await sleep(5);
    }
  }
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

for (const backend of await backends()) {
  describe(`idle faction channels on ${backend.name}`, () => {
    let db: Database;
    let close: () => Promise<void>;
    let faction = 7000;
    const log = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
    const hub = (o: Partial<HubOptions> = {}) => new Hub({ events: logReader(db), log, ...o });

    before(async () => {
      ({ db, close } = await backend.open());
    });
    after(() => close());

    /** Commits `n` events of the faction (one transaction, as a sync would), returns the head; `wake`: NOTIFY the hub. */
    async function publish(h: Hub | null, factionId: number, n: number): Promise<number> {
      await db.transaction(async (tx) => {
        for (let i = 0; i < n; i++) await appendMarker(tx, factionId, 'war', { n: i });
      });
      const head = await headSeq(db, factionId);
      h?.wake(factionId, head);
      return head;
    }

    test('a channel nobody has used for idleChannelMs is dropped at a catch-up, window included', async () => {
      const f = ++faction;
      const h = hub({ idleChannelMs: 150 });
      const sub = new FakeSubscriber(f);
      const detach = await h.subscribe(sub, 0);
      const head = await publish(h, f, 5);
      await sub.until(head);
      assert.deepEqual(h.stats(), { factions: 1, subscribers: 1, windowEvents: 5, windowBytes: h.stats().windowBytes, waiters: 0 });
      detach();

      await h.catchUp();
      assert.equal(h.stats().factions, 1, 'just left: kept for now');
      await sleep(200);
      await h.catchUp();
      assert.deepEqual(h.stats(), { factions: 0, subscribers: 0, windowEvents: 0, windowBytes: 0, waiters: 0 });
    });

    test('a channel with a subscriber, or a long-poll waiting, is kept however long it has been quiet', async () => {
      const f = ++faction;
      const h = hub({ idleChannelMs: 0 });
      const sub = new FakeSubscriber(f);
      const detach = await h.subscribe(sub, undefined);
      for (let i = 0; i < 3; i++) {
        await sleep(20);
        await h.catchUp();
      }
      assert.equal(h.stats().factions, 1);
      detach();

      const g = ++faction;
      const poll = h.eventsAfter(g, 0, 2000, 100);
      for (let i = 0; i < 3; i++) {
        await sleep(20);
        await h.catchUp();
      }
      assert.equal(h.stats().factions, 1, 'the long-poll holds its channel (the subscriber left: its went)');
      const head = await publish(h, g, 1);
      assert.deepEqual(
        (await poll).events.map((e) => e.seq),
        [head],
      );
      await h.catchUp();
      assert.equal(h.stats().factions, 0, 'both gone once nobody uses them');
    });

    test('an event published after the drop reaches a new subscriber resuming from an older seq, through the log', async () => {
      const f = ++faction;
      const h = hub({ idleChannelMs: 0 });
      const first = new FakeSubscriber(f);
      const detach = await h.subscribe(first, 0);
      await first.until(await publish(h, f, 3));
      detach();
      await h.catchUp();
      assert.equal(h.stats().factions, 0);

      // NOTIFY arrives for a faction nobody here listens to: the log keeps it.
      const head = await publish(h, f, 2);
      assert.equal(head, 5);
      const again = new FakeSubscriber(f);
      await h.subscribe(again, 2);
      await again.until(5);
      const live = await publish(h, f, 1);
      await again.until(live);
      assert.deepEqual(again.seqs, range(3, 6), 'each missed event once, in order, then live');
      assert.ok(
        again.events.every((e) => e.event === 'war'),
        'no reset: nothing was lost',
      );
    });

    test('a subscribe under way when the sweep drops idle channels is not attached to a dropped channel', async () => {
      const f = ++faction;
      const h = hub({ idleChannelMs: 0 });
      const warm = new FakeSubscriber(f);
      (await h.subscribe(warm, undefined))();
      const head = await publish(null, f, 1);

      // The channel is idle and due: the sweep runs while the subscribe has the channel in hand
      // but has not attached yet.
      const sub = new FakeSubscriber(f);
      const subscribing = h.subscribe(sub, head);
      await h.catchUp();
      await subscribing;
      await h.catchUp();
      assert.equal(h.stats().subscribers, 1);

      const next = await publish(h, f, 2);
      await sub.until(next);
      assert.deepEqual(sub.seqs, [head + 1, head + 2]);
    });

    test('a long-poll under way when the sweep runs still hears the next event', async () => {
      const f = ++faction;
      const h = hub({ idleChannelMs: 0 });
      const head = await publish(null, f, 1);
      (await h.subscribe(new FakeSubscriber(f), undefined))();

      const poll = h.eventsAfter(f, head, 3000, 100);
      const sweeping = (async () => {
        for (let i = 0; i < 5; i++) {
          await h.catchUp();
          await sleep(10);
        }
      })();
      await sweeping;
      const next = await publish(h, f, 1);
      const started = Date.now();
      assert.deepEqual(
        (await poll).events.map((e) => e.seq),
        [next],
      );
      assert.ok(Date.now() - started < 1000, 'woken by the event, not by its timeout');
    });
  });
}
