import type { Pace, ScorePoint } from './score.js';

/** `GET /wars/{id}/report`: how each member's calls went in one war, beside Torn's own count of their hits, and how the score went. */
export interface WarReport {
  warId: number;
  factionId: number;
  enemy: { id: number; name: string };
  start: number;
  end: number | null;
  /** Torn's clock, Unix seconds. */
  generatedAt: number;
  /** Where the members' `torn` numbers come from, and when they were read (Unix seconds). */
  torn: { source: TornHitsSource; readAt: number | null };
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

/**
 * `chain_reports`: Torn's chain reports read while the war ran (`attacks.war` summed over the war's
 * chains); `ranked_war_report`: Torn's report of the ended war (`attacks`); `none`: nothing read yet.
 */
export type TornHitsSource = 'none' | 'chain_reports' | 'ranked_war_report';

/** Torn's own numbers for a member: who really hit, whatever TornCat's calls say. */
export interface TornHits {
  /** War hits the member made. */
  warHits: number;
  /** The chain reports' hospitalizations by the member (war or not); null without a chain report. */
  hospitalized: number | null;
  /** The chain reports' respect; null without a chain report. */
  respect: number | null;
  /** The ranked war report's score; null until the war is over and its report read. */
  warScore: number | null;
}

export interface MemberReport {
  id: number;
  name: string;
  /** Calls made, and how they ended (`open`: still called). */
  calls: number;
  /**
   * Calls that ended with the target in hospital, whoever put it there: not a hit by the caller
   * (Torn's count of those is `torn.warHits`).
   */
  targetHospitalized: number;
  /** @deprecated The same count as `targetHospitalized`, under its old name. */
  hit: number;
  expired: number;
  released: number;
  open: number;
  /**
   * Median seconds from a called target's hospital exit to its next hospitalisation, over this
   * member's calls that ended with the target in hospital after an exit TornCat saw; null without any.
   */
  medianExitToHitS: number | null;
  /** Torn's numbers for the member; null when no report Torn gave names them. */
  torn: TornHits | null;
}
