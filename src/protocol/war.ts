/**
 * Where a war stands on Torn's clock: `upcoming` (matched, listed by Torn before its start),
 * `active` (started, not over), `ended`.
 */
export type WarPhase = 'upcoming' | 'active' | 'ended';

/** A ranked war, from our faction's side. Times are Unix seconds. */
export interface War {
  /** Torn's ranked war id. */
  id: number;
  /** Our faction. */
  factionId: number;
  enemy: { id: number; name: string };
  start: number;
  end: number | null;
  /** The score that wins. */
  target: number | null;
  /** A faction id, once decided. */
  winner: number | null;
  /** By faction id (as a string). */
  scores: Record<string, number>;
  /** end === null: the war is open, upcoming or running (read `phase` to tell them apart). */
  active: boolean;
  phase: WarPhase;
}
