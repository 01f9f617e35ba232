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
  /** end === null */
  active: boolean;
}
