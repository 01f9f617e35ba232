/**
 * Torn's clock as this node knows it. Hospital stays, travel and wars are timed on Torn's clock;
 * TornCat times its own things (calls, `serverTime`) on the database's. Members count one down
 * against the other, so both are shown on Torn's: the war sync asks Torn for its time now and then
 * (`/v2/torn/timestamp`) and reads the database's, and this keeps the two offsets.
 *
 * Until Torn has answered once, both offsets are 0: the clocks are taken to be in step, as before.
 */
export class TornClock {
  // Torn's timestamp is whole seconds, stamped somewhere between sending and receiving: each answer
  // bounds the offset (Torn − local) to an interval, and answers that agree narrow it.
  #lowMs = 0;
  #highMs = 0;
  #databaseMinusLocalMs = 0;
  #learnedAtMs = 0;
  readonly #localNow: () => number;

  /** @param localNow this node's clock, Unix ms @default Date.now */
  constructor(localNow: () => number = Date.now) {
    this.#localNow = localNow;
  }

  /** Torn's clock minus this node's, in ms. */
  get offsetMs(): number {
    return Math.round((this.#lowMs + this.#highMs) / 2);
  }

  /** Torn's clock minus the database's, in ms. */
  get databaseOffsetMs(): number {
    return this.offsetMs - this.#databaseMinusLocalMs;
  }

  /** When Torn's time was last learned (this node's Unix ms), 0 for never. */
  get learnedAtMs(): number {
    return this.#learnedAtMs;
  }

  /** Torn's time now, Unix ms. */
  nowMs(): number {
    return this.#localNow() + this.offsetMs;
  }

  /** Torn's time now, Unix seconds. */
  now(): number {
    return Math.floor(this.nowMs() / 1000);
  }

  /** When a moment of Torn's clock (Unix ms) comes on this node's clock: what timers need. */
  toLocalMs(tornMs: number): number {
    return tornMs - this.offsetMs;
  }

  /**
   * A time the database stamped (whole Unix seconds, its clock), on Torn's clock. Every such time
   * moves by the same whole seconds, so differences between them (a call's TTL) stay exact.
   */
  fromDatabase(seconds: number): number {
    return seconds + Math.round(this.databaseOffsetMs / 1000);
  }

  /**
   * Torn answered `tornSeconds` to a request sent at `sentAtMs` and answered at `receivedAtMs`
   * (this node's clock). An answer that agrees with what is known narrows it; one that does not
   * (Torn's clock, or ours, jumped), or that comes after an hour in which the clocks may have
   * drifted apart, replaces it.
   */
  learnTorn(tornSeconds: number, sentAtMs: number, receivedAtMs: number): void {
    const low = tornSeconds * 1000 - receivedAtMs;
    const high = tornSeconds * 1000 + 1000 - sentAtMs;
    const stale = this.#learnedAtMs === 0 || receivedAtMs - this.#learnedAtMs > 3_600_000;
    if (stale || low > this.#highMs || high < this.#lowMs) {
      this.#lowMs = low;
      this.#highMs = high;
    } else {
      this.#lowMs = Math.max(this.#lowMs, low);
      this.#highMs = Math.min(this.#highMs, high);
    }
    this.#learnedAtMs = receivedAtMs;
  }

  /** The database said its clock read `databaseMs` between `sentAtMs` and `receivedAtMs` (this node's clock). */
  learnDatabase(databaseMs: number, sentAtMs: number, receivedAtMs: number): void {
    this.#databaseMinusLocalMs = Math.round(databaseMs - (sentAtMs + receivedAtMs) / 2);
  }
}
