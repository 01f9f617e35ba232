// Everything random in the simulator comes from here, so one seed replays the same war.

/** Mixes integers into one 32-bit hash (murmur3 finalizer): the same inputs always give the same output. */
export function hash32(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const part of parts) {
    h = Math.imul(h ^ (part | 0), 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
    // Fold the high bits of large numbers (Unix times in ms) too, not only their low 32 bits.
    h ^= Math.floor(part / 0x100000000) | 0;
  }
  return h >>> 0;
}

/** A small seeded generator (mulberry32). Each player owns one, so his story does not depend on anyone else's. */
export class SeededRandom {
  #state: number;

  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** Exponential wait with the given mean: memoryless, so events look unplanned. */
  exponential(mean: number): number {
    return -Math.log(1 - this.next()) * mean;
  }
}
