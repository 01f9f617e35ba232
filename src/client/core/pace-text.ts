/** Each side's pace in words, for the panel's line, the board's chart box and the war report. */
import type { Pace, SidePace } from '../../protocol/score.js';

/** `540/h`, `—` without a pace yet. */
function perHour(v: number | null): string {
  return v === null ? '—' : `${Math.round(v)}/h`;
}

/** `3h10` or `25 min` from now to `at`; `reached` at or past it; `—` never at this pace. */
function targetIn(at: number | null, now: number): string {
  if (at === null) return '—';
  const s = at - now;
  if (s <= 0) return 'reached';
  const m = Math.ceil(s / 60);
  return m < 60 ? `${m} min` : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}`;
}

export interface PaceWords {
  /** `Lead +120`, `Behind by 40`, `Level`. */
  lead: string;
  /** One side: `540/h (15 min) · 480/h (1 h) · target in 3h10`. */
  ours: string;
  theirs: string;
  /** Everything in one short line (the panel): `Lead +120 · us 540/h·480/h, target 3h10 · them 300/h·400/h, target —`. */
  line: string;
}

function side(p: SidePace, target: number | null, now: number): string {
  return `${perHour(p.perHour15)} (15 min) · ${perHour(p.perHour60)} (1 h)${target ? ` · target in ${targetIn(p.reachesTargetAt, now)}` : ''}`;
}

function short(p: SidePace, target: number | null, now: number): string {
  return `${perHour(p.perHour15)}·${perHour(p.perHour60)}${target ? `, target ${targetIn(p.reachesTargetAt, now)}` : ''}`;
}

export function paceWords(p: Pace, now: number): PaceWords {
  const lead = p.lead > 0 ? `Lead +${p.lead}` : p.lead < 0 ? `Behind by ${-p.lead}` : 'Level';
  return {
    lead,
    ours: side(p.ours, p.target, now),
    theirs: side(p.theirs, p.target, now),
    line: `${lead} · us ${short(p.ours, p.target, now)} · them ${short(p.theirs, p.target, now)}`,
  };
}
