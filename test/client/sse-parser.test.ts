import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SseParser, type SseEvent } from '../../src/client/core/sse-parser.js';
import { lineEndVariants, SSE_VECTORS, type SseVector } from './sse-vectors.js';

const VECTORS = SSE_VECTORS.flatMap((v) => [v, ...lineEndVariants(v)]);

/** The ways a manager may cut a stream: whole, in two at every point, one character at a time (never inside a code point). */
function chunkings(stream: string): { name: string; chunks: string[] }[] {
  const chars = Array.from(stream);
  const out = [
    { name: 'whole', chunks: [stream] },
    { name: 'one character at a time', chunks: chars },
  ];
  for (let i = 1; i < chars.length; i++) out.push({ name: `split at ${i}`, chunks: [chars.slice(0, i).join(''), chars.slice(i).join('')] });
  return out;
}

function run(v: SseVector, chunks: string[]): { events: SseEvent[]; retry: number | undefined } {
  const events: SseEvent[] = [];
  const p = new SseParser({ onEvent: (e) => events.push(e) });
  for (const c of chunks) p.feed(c);
  return { events, retry: p.retryMs };
}

const expected = (v: SseVector) => ({
  events: v.events.map((e) => ({ event: e.event ?? 'message', data: e.data, lastEventId: e.lastEventId ?? '' })),
  retry: v.retry,
});

describe('SseParser against public vectors (WPT, eventsource-parser), in every chunking', () => {
  for (const v of VECTORS) {
    test(`${v.name} [${v.source}]`, () => {
      const want = expected(v);
      for (const c of chunkings(v.stream)) assert.deepEqual(run(v, c.chunks), want, `${v.name}: ${c.name}`);
    });
  }

  test('the count', () => {
    // Printed for the record (docs/reliability.md): vectors that pass in every chunking.
    const passing = VECTORS.filter((v) => {
      const want = expected(v);
      return chunkings(v.stream).every((c) => {
        try {
          assert.deepEqual(run(v, c.chunks), want);
          return true;
        } catch {
          return false;
        }
      });
    }).length;
    console.log(`SSE vectors passing in every chunking: ${passing}/${VECTORS.length}`);
    assert.equal(passing, VECTORS.length);
  });
});

describe('SseParser at chunk boundaries and bounds', () => {
  test('a CR that ends a chunk ends the line at once: the event is out before the next chunk', () => {
    const events: SseEvent[] = [];
    const p = new SseParser({ onEvent: (e) => events.push(e) });
    p.feed('id: 7\revent: target_call\rdata: {"targetId":3001}\r\r');
    assert.deepEqual(events, [{ event: 'target_call', data: '{"targetId":3001}', lastEventId: '7' }]);
    p.feed('\ndata: 2\r\n\r\n'); // the LF that completes the CRLF is not a blank line of its own
    assert.equal(events.length, 2);
    assert.equal(events[1]?.data, '2');
  });

  test('a byte-order mark in handed text is stripped once, even when the first chunk is only the mark', () => {
    const events: SseEvent[] = [];
    const p = new SseParser({ onEvent: (e) => events.push(e) });
    for (const c of ['', '\uFEFF', 'retry: 3000\n', 'id: 5\ndata: x\n\n']) p.feed(c);
    assert.equal(p.retryMs, 3000);
    assert.deepEqual(events, [{ event: 'message', data: 'x', lastEventId: '5' }]);
  });

  test('a line past the bound stops the parser once, whatever comes after', () => {
    let overflows = 0;
    const events: SseEvent[] = [];
    const p = new SseParser({ onEvent: (e) => events.push(e), onOverflow: () => overflows++ }, 1000);
    p.feed('data: ok\n\n');
    p.feed('data: ');
    for (let i = 0; i < 100; i++) p.feed('x'.repeat(50));
    p.feed('\n\ndata: after\n\n');
    assert.equal(overflows, 1);
    assert.equal(p.overflowed, true);
    assert.deepEqual(
      events.map((e) => e.data),
      ['ok'],
    );
  });

  test("an event's data past the bound, in lines under it, stops the parser too", () => {
    let overflows = 0;
    const p = new SseParser({ onEvent: () => assert.fail('no event'), onOverflow: () => overflows++ }, 1000);
    for (let i = 0; i < 100; i++) p.feed(`data: ${'y'.repeat(40)}\n`);
    assert.equal(overflows, 1);
  });

  test('a long line in many small chunks, just under the bound, still makes its event', () => {
    const events: SseEvent[] = [];
    const p = new SseParser({ onEvent: (e) => events.push(e) }, 100_000);
    p.feed('data: ');
    for (let i = 0; i < 9_000; i++) p.feed('0123456789');
    p.feed('\n\n');
    assert.equal(events.length, 1);
    assert.equal(events[0]?.data.length, 90_000);
  });

  test('a JSON error answer is not mistaken for a live stream', () => {
    let alive = 0;
    const p = new SseParser({ onEvent: () => assert.fail('no event'), onAlive: () => alive++ });
    p.feed('{"error":{"code":"unauthorized","message":"Unknown token"}}');
    assert.equal(alive, 0);
  });

  test("the server's preamble and heartbeat count as alive", () => {
    let alive = 0;
    const p = new SseParser({ onEvent: () => assert.fail('no event'), onAlive: () => alive++ });
    p.feed('retry: 3000\n\n');
    assert.equal(alive, 1);
    p.feed(':\n\n');
    assert.equal(alive, 2);
  });
});
