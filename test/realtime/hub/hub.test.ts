// The hub on its own, with an in-memory event log and subscribers that are plain objects: its edge
// cases without a database or a network.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Hub } from '../../../src/realtime/hub/hub.js';
import type { EventReader } from '../../../src/realtime/hub/event-reader.js';
import type { Subscriber } from '../../../src/realtime/hub/channel.js';
import type { LoggedEvent } from '../../../src/realtime/event-log.js';
import type { OutboundEvent } from '../../../src/realtime/outbound-event.js';
import { createLogger } from '../../../src/log.js';

const F = 1001;
const log = createLogger('silent');
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** A faction's log in memory: append, prune, and count the reads the hub makes. */
class FakeLog implements EventReader {
  events: LoggedEvent[] = [];
  reads = 0;
  append(n = 1): number {
    for (let i = 0; i < n; i++) {
      const seq = (this.events.at(-1)?.seq ?? this.pruned) + 1;
      this.events.push({ factionId: F, seq, event: 'target_call', data: { n: seq } });
    }
    return this.events.at(-1)!.seq;
  }
  pruned = 0;
  /** Forgets every event up to `seq`, as pruning does. */
  prune(seq: number): void {
    this.pruned = Math.max(this.pruned, seq);
    this.events = this.events.filter((e) => e.seq > seq);
  }
  async head(): Promise<number> {
    return this.events.at(-1)?.seq ?? this.pruned;
  }
  async heads(ids: readonly number[]): Promise<Map<number, number>> {
    return new Map(ids.map((id) => [id, this.events.at(-1)?.seq ?? this.pruned]));
  }
  async oldest(): Promise<number | null> {
    return this.events[0]?.seq ?? null;
  }
  async read(_f: number, after: number, limit: number): Promise<LoggedEvent[]> {
    this.reads++;
    return this.events.filter((e) => e.seq > after).slice(0, limit);
  }
}

/** A subscriber that records what it was written, with a backlog the test controls. */
class FakeSubscriber implements Subscriber {
  readonly factionId = F;
  got: OutboundEvent[] = [];
  backlogBytes = 0;
  wasCut = false;
  gone = false;
  write(ev: OutboundEvent): boolean {
    if (this.gone) return false;
    this.got.push(ev);
    return true;
  }
  backlog(): number {
    return this.backlogBytes;
  }
  cut(): void {
    this.wasCut = true;
  }
  ids(): number[] {
    return this.got.map((e) => e.seq);
  }
  events(): string[] {
    return this.got.map((e) => e.event);
  }
}

async function until(check: () => boolean, ms = 2000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await sleep(5);
  }
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('hub', () => {
  test('live events reach every subscriber once, in order; a detached one gets nothing more', async () => {
    const l = new FakeLog();
    l.append(3);
    const hub = new Hub({ events: l, log });
    const a = new FakeSubscriber();
    const b = new FakeSubscriber();
    await hub.subscribe(a, undefined);
    const detachB = await hub.subscribe(b, undefined);
    hub.wake(F, l.append(2));
    await until(() => a.got.length === 2 && b.got.length === 2);
    detachB();
    hub.wake(F, l.append(1));
    await until(() => a.got.length === 3);
    assert.deepEqual(a.ids(), [4, 5, 6]);
    assert.deepEqual(b.ids(), [4, 5]);
    assert.equal(hub.subscriberCount(), 1);
  });

  test('a gap in the NOTIFYs (one lost, a later seq announced) is read from the log: nothing skipped', async () => {
    const l = new FakeLog();
    const hub = new Hub({ events: l, log });
    const a = new FakeSubscriber();
    await hub.subscribe(a, 0);
    l.append(4); // four commits, but only the last one is announced
    hub.wake(F, 4);
    await until(() => a.got.length === 4);
    assert.deepEqual(a.ids(), [1, 2, 3, 4]);
  });

  test('resuming from a position the log has pruned gets a reset at the head first, then only live events', async () => {
    const l = new FakeLog();
    l.append(10);
    l.prune(6);
    const hub = new Hub({ events: l, log });
    const a = new FakeSubscriber();
    await hub.subscribe(a, 2);
    await until(() => a.got.length === 1);
    assert.deepEqual(a.events(), ['reset']);
    assert.equal(a.got[0].seq, 10);
    hub.wake(F, l.append(1));
    await until(() => a.got.length === 2);
    assert.deepEqual(a.ids(), [10, 11]);
  });

  test('resuming from just before the oldest held event replays without a reset', async () => {
    const l = new FakeLog();
    l.append(10);
    l.prune(6);
    const hub = new Hub({ events: l, log });
    const a = new FakeSubscriber();
    await hub.subscribe(a, 6);
    await until(() => a.got.length === 4);
    assert.deepEqual(a.ids(), [7, 8, 9, 10]);
  });

  test('a client ahead of this node (it read the head elsewhere) is not sent what it has, and gets what follows', async () => {
    const l = new FakeLog();
    const hub = new Hub({ events: l, log });
    const early = new FakeSubscriber();
    await hub.subscribe(early, 0); // the node's channel sits at head 0
    l.append(5); // committed; this node has not been woken yet
    const ahead = new FakeSubscriber();
    await hub.subscribe(ahead, 5);
    hub.wake(F, l.append(1));
    await until(() => ahead.got.length === 1 && early.got.length === 6);
    assert.deepEqual(ahead.ids(), [6]);
    assert.deepEqual(early.ids(), range(1, 6));
  });

  test('a position past the log’s head (a bogus id) gets a reset at the real head', async () => {
    const l = new FakeLog();
    l.append(3);
    const hub = new Hub({ events: l, log });
    const a = new FakeSubscriber();
    await hub.subscribe(a, 99);
    await until(() => a.got.length === 1);
    assert.deepEqual(a.events(), ['reset']);
    assert.equal(a.got[0].seq, 3);
  });

  test('back-pressure: a subscriber whose backlog is high is not pushed to; it pulls everything once it drains', async () => {
    const l = new FakeLog();
    const hub = new Hub({ events: l, log, lagBytes: 1000, stallMs: 5000 });
    const slow = new FakeSubscriber();
    const fast = new FakeSubscriber();
    await hub.subscribe(slow, 0);
    await hub.subscribe(fast, 0);
    slow.backlogBytes = 5000;
    for (let i = 0; i < 20; i++) hub.wake(F, l.append(1));
    await until(() => fast.got.length === 20);
    assert.equal(slow.got.length, 0, 'nothing pushed while its network is behind');
    slow.backlogBytes = 0;
    await until(() => slow.got.length === 20);
    assert.deepEqual(slow.ids(), range(1, 20));
    hub.wake(F, l.append(1));
    await until(() => slow.got.length === 21);
    assert.equal(slow.wasCut, false);
  });

  test('back-pressure: a subscriber that stops reading altogether is cut and detached', async () => {
    const l = new FakeLog();
    const hub = new Hub({ events: l, log, lagBytes: 1000, stallMs: 100 });
    const stuck = new FakeSubscriber();
    await hub.subscribe(stuck, 0);
    stuck.backlogBytes = 5000;
    hub.wake(F, l.append(1));
    await until(() => stuck.wasCut);
    assert.equal(hub.subscriberCount(), 0);
  });

  test('a subscriber whose transport is gone leaves the channel at the next write', async () => {
    const l = new FakeLog();
    const hub = new Hub({ events: l, log });
    const a = new FakeSubscriber();
    await hub.subscribe(a, undefined);
    a.gone = true;
    hub.wake(F, l.append(1));
    await until(() => hub.subscriberCount() === 0);
  });

  test('the window serves replays without reading the log; past it the log is read', async () => {
    const l = new FakeLog();
    const hub = new Hub({ events: l, log, windowSize: 5 });
    const live = new FakeSubscriber();
    await hub.subscribe(live, 0);
    hub.wake(F, l.append(12));
    await until(() => live.got.length === 12);
    const before = l.reads;
    const recent = new FakeSubscriber();
    await hub.subscribe(recent, 9);
    await until(() => recent.got.length === 3);
    assert.equal(l.reads, before, 'the last 5 events are in memory');
    const old = new FakeSubscriber();
    await hub.subscribe(old, 2);
    await until(() => old.got.length === 10);
    assert.ok(l.reads > before);
    assert.deepEqual(old.ids(), range(3, 12));
    assert.equal(hub.stats().windowEvents, 5);
  });

  test('long-poll: answers at once when events wait, waits for the next one otherwise, and a reset for a pruned position', async () => {
    const l = new FakeLog();
    l.append(3);
    const hub = new Hub({ events: l, log });
    assert.deepEqual((await hub.eventsAfter(F, 1, 1000, 10)).events.map((e) => e.seq), [2, 3]);
    const waiting = hub.eventsAfter(F, 3, 2000, 10);
    await sleep(20);
    hub.wake(F, l.append(1));
    const got = await waiting;
    assert.deepEqual(got.events.map((e) => e.seq), [4]);
    assert.equal(got.seq, 4);
    l.prune(4);
    l.append(1);
    const reset = await hub.eventsAfter(F, 1, 0, 10);
    assert.deepEqual(reset.events.map((e) => e.event), ['reset']);
    const empty = await hub.eventsAfter(F, 5, 30, 10);
    assert.deepEqual(empty, { events: [], seq: 5 });
  });

  test('long-poll with wait=0 sees a commit whose NOTIFY has not arrived yet', async () => {
    const l = new FakeLog();
    const hub = new Hub({ events: l, log });
    await hub.eventsAfter(F, 0, 0, 10); // creates the channel at head 0
    l.append(2); // no wake
    assert.deepEqual((await hub.eventsAfter(F, 0, 0, 10)).events.map((e) => e.seq), [1, 2]);
  });
});
