/**
 * The seed's polling intervals (enemy 5 s, own faction 30 s, war check 60 s) scaled so that a minute
 * lasts `minuteMs`: what the budget tests set beside a budget window of the same length.
 */
export function scaledSeedIntervals(minuteMs: number): Record<string, string> {
  return {
    TARGET_STATUS_REFRESH_INTERVAL_MS: String(minuteMs / 12),
    WAR_CHECK_INTERVAL_MS: String(minuteMs),
    OWN_FACTION_REFRESH_INTERVAL_MS: String(minuteMs / 2),
  };
}
