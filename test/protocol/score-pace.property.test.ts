// Properties of each side's pace, as the board, the panel and the war report compute it: a side that
// scores at a steady rate has that rate as its pace over either window; a side that stops has none;
// the lead is the difference; the target is reached when the pace says (never before, never without
// a pace); and no history, however its points fall, gives a negative, NaN or infinite figure.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { paceOf, type ScorePoint } from '../../src/protocol/score.js';

const T0 = 1_780_000_000;

/** A side scoring `perHour` points per hour, read every `stepS` seconds for `spanS` seconds from T0. */
function steady(oursPerHour: number, theirsPerHour: number, spanS: number, stepS: number): ScorePoint[] {
  const out: ScorePoint[] = [];
  for (let t = 0; t <= spanS; t += stepS) {
    out.push({ at: T0 + t, ours: Math.floor((oursPerHour * t) / 3600), theirs: Math.floor((theirsPerHour * t) / 3600) });
  }
  return out;
}

const history = fc
  .array(fc.record({ dt: fc.integer({ min: 1, max: 900 }), dOurs: fc.nat(50), dTheirs: fc.nat(50) }), { maxLength: 60 })
  .map((steps) => {
    let at = T0;
    let ours = 0;
    let theirs = 0;
    return steps.map((s) => ({ at: (at += s.dt), ours: (ours += s.dOurs), theirs: (theirs += s.dTheirs) }));
  });

describe('score pace', () => {
  test('a steady rate is the pace over 15 and 60 minutes (within the rounding of whole points)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 60, max: 5000 }), fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 5, max: 120 }), (a, b, stepS) => {
        const spanS = 2 * 3600;
        const h = steady(a, b, spanS, stepS);
        const now = h.at(-1)!.at;
        const p = paceOf(h, now, null);
        for (const [side, rate] of [['ours', a], ['theirs', b]] as const) {
          // A whole-point floor at each end of the window and a read up to one step old: at most this far off.
          const slack15 = ((2 + (rate * stepS) / 3600) * 3600) / (15 * 60);
          const slack60 = ((2 + (rate * stepS) / 3600) * 3600) / 3600;
          assert.ok(Math.abs(p[side].perHour15! - rate) <= slack15, `${side} 15: ${p[side].perHour15} vs ${rate}`);
          assert.ok(Math.abs(p[side].perHour60! - rate) <= slack60, `${side} 60: ${p[side].perHour60} vs ${rate}`);
        }
      }),
    );
  });

  test('a side that stopped scoring an hour ago has no pace and never reaches the target', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3000 }), fc.integer({ min: 1, max: 100_000 }), (score, target) => {
        const h = [
          { at: T0, ours: 0, theirs: 0 },
          { at: T0 + 600, ours: score, theirs: score },
        ];
        const now = T0 + 600 + 3600;
        const p = paceOf(h, now, target);
        assert.equal(p.ours.perHour15, 0);
        assert.equal(p.ours.perHour60, 0);
        assert.equal(p.ours.reachesTargetAt, score >= target ? now : null);
      }),
    );
  });

  test('the lead is ours minus theirs at now, the target time follows the 60-minute pace, and nothing is negative or NaN', () => {
    fc.assert(
      fc.property(history, fc.integer({ min: 0, max: 20_000 }), fc.option(fc.integer({ min: 1, max: 3000 })), (h, after, target) => {
        const now = (h.at(-1)?.at ?? T0) + after;
        const p = paceOf(h, now, target);
        const last = h.filter((x) => x.at <= now).at(-1);
        assert.equal(p.lead, (last?.ours ?? 0) - (last?.theirs ?? 0));
        for (const side of [p.ours, p.theirs]) {
          for (const v of [side.perHour15, side.perHour60, side.reachesTargetAt]) {
            if (v !== null) assert.ok(Number.isFinite(v) && v >= 0, `finite and not negative: ${v}`);
          }
          if (target === null) assert.equal(side.reachesTargetAt, null);
          else if (side.score >= target) assert.equal(side.reachesTargetAt, now);
          else if (side.reachesTargetAt !== null) {
            // Reached no sooner than the pace allows, and no later than one second past it.
            const hours = (side.reachesTargetAt - now) / 3600;
            assert.ok(side.perHour60! * hours >= target - side.score - 1e-9);
            assert.ok(side.perHour60! * (hours - 1 / 3600) < target - side.score + 1e-9);
          } else assert.ok(!side.perHour60);
        }
      }),
    );
  });

  test('points after now are not read, and less than a minute of history gives no pace', () => {
    const h = [
      { at: T0, ours: 0, theirs: 0 },
      { at: T0 + 30, ours: 10, theirs: 0 },
      { at: T0 + 4000, ours: 900, theirs: 900 },
    ];
    const early = paceOf(h, T0 + 30, 1000);
    assert.equal(early.ours.score, 10);
    assert.equal(early.ours.perHour15, null);
    assert.equal(early.ours.reachesTargetAt, null);
    // 10 points in the first 120 s of the war: 300 an hour over both windows (the war is younger than either).
    const p = paceOf(h, T0 + 120, 1000);
    assert.equal(p.ours.perHour15, 300);
    assert.equal(p.ours.perHour60, 300);
    assert.equal(p.ours.reachesTargetAt, T0 + 120 + 3 * 3600 + 18 * 60);
    assert.equal(p.theirs.perHour60, 0);
    assert.equal(p.lead, 10);
  });
});
