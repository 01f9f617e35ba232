/**
 * The server's clock as seen from this device. Hospital and jail stays end on Torn's clock and calls
 * expire on TornCat's, and a phone's clock can be minutes off: countdowns count from the snapshot's
 * `serverTime` plus the time elapsed here since it was read.
 */
export class ServerClock {
  /** serverTime - local time at the last snapshot, in seconds. */
  offsetS = 0;

  sync(serverTime: number, localNowMs: number = Date.now()): void {
    this.offsetS = serverTime - localNowMs / 1000;
  }

  /** Now on the server's clock, in (fractional) Unix seconds. */
  now(localNowMs: number = Date.now()): number {
    return localNowMs / 1000 + this.offsetS;
  }

  /** Whole seconds from now until `at` (server time), 0 once it has passed. */
  secondsUntil(at: number, localNowMs: number = Date.now()): number {
    return Math.max(0, Math.ceil(at - this.now(localNowMs)));
  }
}
