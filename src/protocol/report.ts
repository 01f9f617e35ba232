import type { Pace, ScorePoint } from './score.js';

/** `GET /wars/{id}/report`: how each member's calls went in one war, and how the score went. */
export interface WarReport {
  warId: number;
  factionId: number;
  enemy: { id: number; name: string };
  start: number;
  end: number | null;
  /** Torn's clock, Unix seconds. */
  generatedAt: number;
  /** The score that wins, as Torn last gave it. */
  target: number | null;
  /** The score over time, oldest first (as the snapshot's `scoreHistory`). */
  scoreHistory: ScorePoint[];
  /** Each side's pace at `generatedAt`, or at the end of an ended war. */
  pace: Pace;
  members: MemberReport[];
  /** The same counts over the whole faction. */
  totals: Omit<MemberReport, 'id' | 'name'>;
}

export interface MemberReport {
  id: number;
  name: string;
  /** Calls made, and how they ended (`open`: still called). */
  calls: number;
  hit: number;
  expired: number;
  released: number;
  open: number;
  /**
   * Median seconds from a called target's hospital exit to its next hospitalisation, over this
   * member's calls that ended `hit` after an exit TornCat saw; null without any.
   */
  medianExitToHitS: number | null;
}
