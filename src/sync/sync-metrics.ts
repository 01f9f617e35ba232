// What the war sync reports as it goes: the sync owns this interface, and the server hands it the
// node's Metrics, which fits it without metrics/ importing sync/.

/** What the war sync reports as it goes (a no-op implementation serves tests that don't look). */
export interface SyncMetrics {
  /** The faction's back-off: level 0 means not backing off. */
  backoff(factionId: number, level: number, remainingMs: number): void;
  /** Whether this node holds the faction's poller lock. */
  polling(factionId: number, held: boolean): void;
  /** A key disabled or rested after a Torn error. */
  keyAction(action: 'disabled' | 'rested'): void;
  /** The faction left this node's list (no signed-in member any more). */
  forget(factionId: number): void;
}

/** Reports nothing: for a WarSync built without metrics. */
export const NO_SYNC_METRICS: SyncMetrics = {
  backoff: () => {},
  polling: () => {},
  keyAction: () => {},
  forget: () => {},
};
