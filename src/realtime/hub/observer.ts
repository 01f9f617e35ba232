/** What the hub tells the metrics (the server passes Metrics.realtime). */
export interface HubObserver {
  /** An event went out to `delivered` live subscribers, `lagMs` after the log was said to hold it. */
  published(delivered: number, lagMs: number | undefined): void;
  /** A subscriber was sent events it had missed, from the window or the log. */
  replayed(): void;
  /** A subscriber was sent a `reset`. */
  reset(): void;
  /** A subscriber that stopped reading was disconnected. */
  cut(transport: string | undefined): void;
}

/** The observer of a hub nobody measures (tests). */
export const unobserved: HubObserver = { published() {}, replayed() {}, reset() {}, cut() {} };
