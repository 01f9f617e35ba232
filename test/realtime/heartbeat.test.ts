// The keep-alive timer: every connection keeps beating, round after round, and never all at once
// (10,000 connections beating together would be a burst of writes an event waits behind).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Heartbeat } from '../../src/realtime/heartbeat.js';

/** Adds `n` connections to `hb`; counts each one's beats and the beats run in one go (one tick's). */
function connect(hb: Heartbeat, n: number) {
  const beats = new Array<number>(n).fill(0);
  const batches: number[] = [];
  let batch = 0;
  const removers = beats.map((_, i) =>
    hb.add(() => {
      // One tick's beats run in one go: the batch ends at the next turn of the event loop.
      if (batch++ === 0) setImmediate(() => (batches.push(batch), (batch = 0)));
      beats[i]++;
    }),
  );
  return { beats, batches, removers };
}

/** Waits until every connection has beaten `times` times. */
async function untilEach(beats: number[], times: number): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (beats.some((n) => n < times)) {
    assert.ok(Date.now() < deadline, `beats after 20 s: min ${Math.min(...beats)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('each connection beats every round, a fifteenth of them per tick, and a removed one stops', async () => {
  const hb = new Heartbeat(750);
  const { beats, batches, removers } = connect(hb, 300);
  await untilEach(beats, 3);
  assert.ok(Math.max(...batches) <= 40, `at most two ticks' worth (20 each) at once, got ${Math.max(...batches)}`);
  assert.ok(Math.max(...beats) - Math.min(...beats) <= 2, `the rounds stay even: ${Math.min(...beats)}–${Math.max(...beats)}`);

  removers[0]();
  const before = beats[0];
  const others = beats[1];
  while (beats[1] < others + 2) await new Promise((r) => setTimeout(r, 20));
  assert.equal(beats[0], before, 'a removed beat is not called again');
  assert.equal(hb.size, 299);
  hb.stop();
});

test('connections that join mid-round are beaten a share per tick, not all in the next tick', async () => {
  const hb = new Heartbeat(750);
  // Six ticks (50 ms each) into the round, 300 connections arrive at once (a deploy's reconnections).
  await new Promise((r) => setTimeout(r, 320));
  const { beats, batches } = connect(hb, 300);
  await untilEach(beats, 2);
  // Catching up with the round's share so far would beat 7/15 of them (140) in the first tick.
  assert.ok(Math.max(...batches) <= 40, `at most two ticks' worth (20 each) at once, got ${Math.max(...batches)}`);
  assert.ok(Math.max(...beats) - Math.min(...beats) <= 1, `the passes stay even: ${Math.min(...beats)}–${Math.max(...beats)}`);
  hb.stop();
});
