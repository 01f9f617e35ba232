/**
 * One timer for every connection's keep-alive, whatever the transport: proxies (Render, nginx,
 * Cloudflare) cut a connection that stays silent too long. Each connection beats once per interval,
 * but not all at the same moment: a round lasts the interval, the timer ticks SLICES times in it
 * and beats the next slice of connections each time, so 10,000 connections never cost one long
 * burst of writes that an event arriving then would wait behind.
 */
export class Heartbeat {
  #beats = new Set<() => void>();
  #timer: NodeJS.Timeout;
  /** Where this round is; a Set's iterator goes on past deletions and sees additions. */
  #cursor: Iterator<() => void>;
  #ticks = 0;
  /** Beats so far this round. */
  #beaten = 0;

  /** @param intervalMs @default 15000 */
  constructor(intervalMs = 15_000) {
    const slices = Math.max(1, Math.min(SLICES, Math.floor(intervalMs / MIN_TICK_MS)));
    this.#cursor = this.#beats.values();
    this.#timer = setInterval(() => this.#tick(slices), intervalMs / slices);
    this.#timer.unref();
  }

  #tick(slices: number): void {
    if (this.#ticks % slices === 0) {
      this.#cursor = this.#beats.values();
      this.#beaten = 0;
    }
    this.#ticks++;
    const tick = this.#ticks % slices || slices;
    // The round's share so far; its last tick beats whoever is left (added since it began, too).
    const due = tick === slices ? Infinity : Math.ceil((this.#beats.size * tick) / slices);
    while (this.#beaten < due) {
      const next = this.#cursor.next();
      if (next.done) return;
      this.#beaten++;
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
