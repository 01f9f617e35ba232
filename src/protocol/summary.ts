/** What the war board shows at a glance; also the data of the `war_summary` event. */
export interface WarSummary {
  warId: number;
  scores: Record<string, number>;
  /** `traveling` counts Traveling and Abroad; `jail` counts Jail and Federal; `other` the rest (Fallen…). */
  counts: { total: number; okay: number; hospital: number; traveling: number; jail: number; other: number; calls: number };
  /** The next targets to leave hospital, soonest first (Torn time, Unix seconds): who to watch. */
  nextExits: { targetId: number; name: string; until: number }[];
}
