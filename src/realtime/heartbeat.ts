/**
 * One timer for every connection's keep-alive, whatever the transport: proxies (Render, nginx,
 * Cloudflare) cut a connection that stays silent too long. Each connection beats once per interval,
 * but not all at the same moment: the timer ticks SLICES times per interval and each tick beats the
 * next share (a SLICES-th of the connections there are now) of a pass over them, so 10,000
 * connections never cost one long burst of writes that an event arriving then would wait behind.
 *
 * The share is the same every tick, whenever the connections came: a pass does not catch up with
 * those that joined since it began (thousands connecting at once, after a deploy, would otherwise be
 * beaten in one tick); it goes on until it has reached them, and the next pass begins one interval
 * after this one began, or at once if it took longer.
 */
export class Heartbeat {
  #beats = new Set<() => void>();
  #timer: NodeJS.Timeout;
  readonly #slices: number;
  /** Where the current pass is (a Set's iterator goes on past deletions and sees additions); undefined once it has ended. */
  #cursor: Iterator<() => void> | undefined;
  /** Ticks since the current (or last) pass began. */
  #sincePass: number;

  /** @param intervalMs @default 15000 */
  constructor(intervalMs = 15_000) {
    this.#slices = Math.max(1, Math.min(SLICES, Math.floor(intervalMs / MIN_TICK_MS)));
    this.#sincePass = this.#slices;
    this.#timer = setInterval(() => this.#tick(), intervalMs / this.#slices);
    this.#timer.unref();
  }

  #tick(): void {
    this.#sincePass++;
    let share = Math.ceil(this.#beats.size / this.#slices);
    while (share > 0) {
      if (this.#cursor === undefined) {
        if (this.#sincePass < this.#slices) return;
        this.#cursor = this.#beats.values();
        this.#sincePass = 0;
      }
      const next = this.#cursor.next();
      if (next.done) {
        this.#cursor = undefined;
        continue;
      }
      share--;
      next.value();
    }
  }

  /** Registers a beat; returns the function that removes it. */
  add(beat: () => void): () => void {
    this.#beats.add(beat);
    return () => this.#beats.delete(beat);
  }

  get size(): number {
    return this.#beats.size;
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#beats.clear();
  }
}

/** Ticks per interval. */
const SLICES = 15;
/** …but no tick more often than this (tests run with short intervals). */
const MIN_TICK_MS = 50;
