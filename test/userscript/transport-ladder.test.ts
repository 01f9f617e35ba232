import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RungName } from '../../src/protocol/userscript-config.js';
import { Ladder, type LadderHost, type RememberedRungs, type RungState } from '../../src/client/core/ladder.js';
import type { Rung, Transport, TransportEnd } from '../../src/client/core/transports/transport.js';

type Behaviour = (signal: AbortSignal, live: () => void) => Promise<TransportEnd>;

/** Blocked here (CSP, no streaming manager): ends at once without ever coming up. */
const blocked: Behaviour = async () => ({ live: false, error: 'blocked' });
/** Comes up and stays until aborted. */
const works: Behaviour = (signal, live) =>
  new Promise((resolve) => {
    live();
    signal.addEventListener('abort', () => resolve({ live: true, error: 'aborted' }));
  });

/** The fakes stream as the real transports of those names do. */
const STREAMING: ReadonlySet<RungName> = new Set(['eventsource', 'gm-stream']);

class FakeTransport implements Transport {
  runs = 0;
  lastSignal: AbortSignal | undefined;
  readonly rung: Rung;
  constructor(
    name: RungName,
    readonly behaviour: Behaviour,
    readonly holdsHttp = false,
  ) {
    this.rung = { name, label: name, streams: STREAMING.has(name) };
  }
  run(signal: AbortSignal, live: () => void): Promise<TransportEnd> {
    this.runs++;
    this.lastSignal = signal;
    return this.behaviour(signal, live);
  }
}

function recordingHost() {
  const log: [RungName, RungState][] = [];
  const lost: string[] = [];
  const host: LadderHost = {
    rung: (name, state) => log.push([name, state]),
    authLost: (message) => lost.push(message),
  };
  return { host, log, lost };
}

async function until(what: string, ok: () => boolean): Promise<void> {
  for (const end = Date.now() + 3000; Date.now() < end;) {
    if (ok()) return;
    await new Promise((r) => setTimeout(r, 2));
  }
  assert.fail(`timed out waiting for ${what}`);
}

const last = (log: [RungName, RungState][]) => log[log.length - 1];

describe('transport ladder', () => {
  test('long-poll is live at once while the streams are probed beside it; the first stream up takes over', async () => {
    const { host, log } = recordingHost();
    let letStreamUp!: () => void;
    const gate = new Promise<void>((r) => (letStreamUp = r));
    const slowStream: Behaviour = async (signal, live) => {
      await gate;
      return works(signal, live);
    };
    const lp = new FakeTransport('long-poll', works);
    const ladder = new Ladder(host, [new FakeTransport('eventsource', blocked), new FakeTransport('gm-stream', slowStream), lp]);
    ladder.start();
    await until('long-poll live', () => last(log)?.[0] === 'long-poll' && last(log)?.[1] === 'live');
    assert.equal(ladder.current, 'long-poll');
    letStreamUp();
    await until('gm-stream live', () => last(log)?.[0] === 'gm-stream' && last(log)?.[1] === 'live');
    assert.equal(ladder.current, 'gm-stream');
    assert.equal(lp.lastSignal?.aborted, true, 'long-poll stops once a stream delivers');
    await ladder.stop();
    assert.equal(ladder.current, undefined);
  });

  test('a stream that ends falls back to long-poll at once and climbs back when it works again', async () => {
    const { host, log } = recordingHost();
    let up = true;
    const flaky: Behaviour = (signal, live) =>
      up ? works(signal, live) : new Promise((r) => setTimeout(() => r({ live: false, error: 'refused' }), 5));
    const stream = new FakeTransport('gm-stream', flaky);
    const ladder = new Ladder(host, [stream, new FakeTransport('long-poll', works)], { climbMs: 40 });
    ladder.start();
    await until('gm-stream live', () => ladder.current === 'gm-stream');
    up = false;
    stream.lastSignal?.dispatchEvent(new Event('abort')); // the fake's own listener ends it, as a dropped stream
    await until('long-poll live', () => ladder.current === 'long-poll' && last(log)?.[1] === 'live');
    up = true;
    await until('gm-stream live again', () => ladder.current === 'gm-stream' && last(log)?.[1] === 'live');
    await ladder.stop();
  });

  test('a rung the page blocks is remembered and not tried again; the last live rung is remembered', async () => {
    const { host } = recordingHost();
    let saved: RememberedRungs = {};
    const memory = { load: () => structuredClone(saved), save: (m: RememberedRungs) => void (saved = m) };
    const es = new FakeTransport('eventsource', async () => ({ live: false, blocked: true, error: 'csp' }));
    const ladder = new Ladder(host, [es, new FakeTransport('gm-stream', works), new FakeTransport('long-poll', works)], { memory });
    ladder.start();
    await until('gm-stream live', () => ladder.current === 'gm-stream');
    await ladder.stop();
    assert.equal(saved.last, 'gm-stream');
    assert.ok(saved.blocked?.eventsource);
    const again = new Ladder(host, [es, new FakeTransport('gm-stream', works), new FakeTransport('long-poll', works)], { memory });
    again.start();
    await until('gm-stream live', () => again.current === 'gm-stream');
    await again.stop();
    assert.equal(es.runs, 1, 'EventSource is not tried again on this page');
  });

  test('a forced rung is used alone; back to automatic, the ladder starts from the top again', async () => {
    const { host, log } = recordingHost();
    const ladder = new Ladder(host, [new FakeTransport('eventsource', works), new FakeTransport('long-poll', works)]);
    ladder.start('long-poll');
    await until('long-poll live', () => last(log)?.[0] === 'long-poll' && last(log)?.[1] === 'live');
    ladder.force('eventsource');
    await until('eventsource live', () => last(log)?.[0] === 'eventsource' && last(log)?.[1] === 'live');
    ladder.force('long-poll');
    await until('long-poll live again', () => last(log)?.[0] === 'long-poll' && last(log)?.[1] === 'live');
    ladder.force(null);
    await until('the best rung live', () => last(log)?.[0] === 'eventsource' && last(log)?.[1] === 'live');
    ladder.force('gm-stream' as RungName);
    await until('an unknown rung ignored', () => last(log)?.[0] === 'eventsource' && last(log)?.[1] === 'live');
    await ladder.stop();
  });

  test('a 401 stops the ladder and says the session is over', async () => {
    const { host, log, lost } = recordingHost();
    const ladder = new Ladder(host, [
      new FakeTransport('eventsource', async () => ({ live: false, status: 401 })),
      new FakeTransport('poll', works),
    ]);
    ladder.start();
    await until('the session reported lost', () => lost.length === 1);
    assert.deepEqual(last(log), ['eventsource', 'down']);
    assert.equal(ladder.current, undefined, 'no lower rung is tried with a dead token');
  });

  test('a call is sent while a transport holding the Http is away, and it resumes after', async () => {
    const { host, log } = recordingHost();
    const stream = new FakeTransport('gm-stream', works, true);
    const ladder = new Ladder(host, [stream]);
    ladder.start();
    await until('live', () => last(log)?.[1] === 'live');
    const answer = await ladder.whilePaused(async () => {
      assert.equal(stream.lastSignal?.aborted, true, 'the stream is cut before the request goes out');
      await new Promise((r) => setTimeout(r, 20));
      assert.equal(stream.runs, 1, 'and stays away until the answer is in');
      return 'ok';
    });
    assert.equal(answer, 'ok');
    await until('the stream back', () => stream.runs === 2 && last(log)?.[1] === 'live');
    assert.ok(!log.some(([, s]) => s === 'down'), 'a pause is not a failure');
    await ladder.stop();
  });

  test('a transport that does not hold the Http is left alone during a call', async () => {
    const { host, log } = recordingHost();
    const es = new FakeTransport('eventsource', works);
    const ladder = new Ladder(host, [es]);
    ladder.start();
    await until('live', () => last(log)?.[1] === 'live');
    await ladder.whilePaused(async () => assert.equal(es.lastSignal?.aborted, false));
    assert.equal(es.runs, 1);
    await ladder.stop();
  });
});
