/**
 * One timer for every connection's keep-alive, whatever the transport: proxies (Render, nginx,
 * Cloudflare) cut a connection that stays silent too long.
 */
export class Heartbeat {
  #beats = new Set<() => void>();
  #timer: NodeJS.Timeout;

  /** @param intervalMs @default 15000 */
  constructor(intervalMs = 15_000) {
    this.#timer = setInterval(() => {
      for (const beat of this.#beats) beat();
    }, intervalMs);
    this.#timer.unref();
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
