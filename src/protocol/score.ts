// The war's score over time on the wire, and each side's pace, worked out the same way by the board,
// the userscript panel and the war report.

/** Both sides' scores as TornCat read them at `at` (Torn's clock, Unix seconds). */
export interface ScorePoint {
  at: number;
  ours: number;
  theirs: number;
}

/** One side's pace: points per hour over the last 15 and 60 minutes, and when it would reach the target. */
export interface SidePace {
  score: number;
  /** Points per hour over the last 15 minutes; null while fewer than a minute of scores is known. */
  perHour15: number | null;
  perHour60: number | null;
  /**
   * When this side would reach the target at its 60-minute pace (Torn's clock, Unix seconds); `now`
   * once reached; null without a target, or with no pace to reach it.
   */
  reachesTargetAt: number | null;
}

export interface Pace {
  ours: SidePace;
  theirs: SidePace;
  /** Ours minus theirs. */
  lead: number;
  target: number | null;
}

/** `war_score` event: the score changed (a row of the war's history). */
export interface WarScoreData extends ScorePoint {
  warId: number;
}

const MIN_SPAN_S = 60;

/** The score of `side` at `t`: the last point at or before it (scores hold until the next read). */
function scoreAt(history: readonly ScorePoint[], t: number, side: 'ours' | 'theirs'): { at: number; score: number } | null {
  let found: ScorePoint | null = null;
  for (const p of history) {
    if (p.at > t) break;
    found = p;
  }
  return found ? { at: found.at, score: found[side] } : null;
}

/**
 * Points per hour over the `windowS` seconds before `now`. A history that starts later than the
 * window (a young war, or one TornCat began to follow late) counts from its first point.
 */
function perHour(history: readonly ScorePoint[], now: number, windowS: number, side: 'ours' | 'theirs'): number | null {
  if (history.length === 0) return null;
  const from = Math.max(now - windowS, history[0].at);
  const start = scoreAt(history, from, side);
  const end = scoreAt(history, now, side);
  if (!start || !end || now - from < MIN_SPAN_S) return null;
  return Math.max(0, ((end.score - start.score) * 3600) / (now - from));
}

function sidePace(history: readonly ScorePoint[], now: number, target: number | null, side: 'ours' | 'theirs'): SidePace {
  const score = scoreAt(history, now, side)?.score ?? 0;
  const perHour15 = perHour(history, now, 15 * 60, side);
  const perHour60 = perHour(history, now, 60 * 60, side);
  let reachesTargetAt: number | null = null;
  if (target !== null && target > 0) {
    if (score >= target) reachesTargetAt = now;
    else if (perHour60) reachesTargetAt = now + Math.ceil(((target - score) * 3600) / perHour60);
  }
  return { score, perHour15, perHour60, reachesTargetAt };
}

/**
 * Each side's pace at `now` from a history sorted by time (as the snapshot and the report give it).
 * Points after `now` are ignored.
 */
export function paceOf(history: readonly ScorePoint[], now: number, target: number | null): Pace {
  const ours = sidePace(history, now, target, 'ours');
  const theirs = sidePace(history, now, target, 'theirs');
  return { ours, theirs, lead: ours.score - theirs.score, target };
}
