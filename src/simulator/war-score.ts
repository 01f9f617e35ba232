// Ranked war scores that grow minute by minute from the seed: a function of (war, faction, minute),
// so the score at any sim time is reproducible and never goes down.

import { hash32 } from './seeded-random.js';
import { type SimWar } from './scenario.js';

export interface FactionScore {
  score: number;
  chain: number;
}

function increment(seed: number, warId: number, factionId: number, minute: number): number {
  // Each faction gets its own pace (4–6 hits' worth at best per minute) so one of them pulls ahead.
  const pace = 4 + (hash32(seed, warId, factionId) % 3);
  return hash32(seed, warId, factionId, minute) % (pace + 1);
}

export class WarScores {
  readonly #seed: number;
  /** Running sums per war+faction, so a long war is not re-added on every request. */
  readonly #sums = new Map<string, number[]>();

  constructor(seed: number) {
    this.#seed = seed;
  }

  at(war: SimWar, factionId: number, now: number): FactionScore {
    const stop = Math.min(now, war.end ?? Number.POSITIVE_INFINITY, war.scoresFrozenAt ?? Number.POSITIVE_INFINITY);
    const minutes = Math.max(0, Math.floor((stop - war.start) / 60));
    const key = `${war.id}:${war.start}:${factionId}`;
    const sums = this.#sums.get(key) ?? [0];
    for (let m = sums.length - 1; m < minutes; m++) sums.push(sums[m] + increment(this.#seed, war.id, factionId, m));
    this.#sums.set(key, sums);
    // The chain is the faction's own (sim-chain.ts), fed by these hits: the world fills it in.
    return { score: sums[minutes], chain: 0 };
  }

  clear(): void {
    this.#sums.clear();
  }
}
