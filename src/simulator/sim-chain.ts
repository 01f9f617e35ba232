// Factions' chains, as `/v2/faction/{id}/chain` shows them (the spec's FactionOngoingChain). A hit
// resets the chain's timer to Torn's five minutes; a timer that runs out breaks the chain. Chains move
// only when the control endpoint hits or sets them: a test decides what the poller sees.

import { SimControlError } from './sim-control-error.js';

/** Seconds a chain survives after its last hit, as on Torn. */
export const CHAIN_TIMEOUT_SECONDS = 300;

/** The chain bar's milestones: Torn shows "current / next milestone". */
const MILESTONES = [10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 25000, 50000, 100000];

interface ChainState {
  id: number;
  current: number;
  start: number;
  lastHitAt: number;
  /** Unix seconds; 0 when none. */
  cooldownUntil: number;
}

export interface ChainInput {
  /** Sets the count (0 breaks the chain); a chain that was not running starts now. */
  current?: number;
  /** Adds this many hits now: the timer goes back to five minutes. */
  hits?: number;
  /** Seconds left on the timer, as if the last hit had been that long before five minutes ago. */
  timeout?: number;
  /** Seconds of cooldown from now (0 ends it). */
  cooldown?: number;
}

export class FactionChains {
  #byFaction = new Map<number, ChainState>();
  #nextId: number;
  readonly #firstId: number;

  constructor(firstId: number) {
    this.#firstId = firstId;
    this.#nextId = firstId;
  }

  clear(): void {
    this.#byFaction.clear();
    this.#nextId = this.#firstId;
  }

  #state(factionId: number, now: number): ChainState {
    let s = this.#byFaction.get(factionId);
    if (!s) {
      s = { id: 0, current: 0, start: 0, lastHitAt: 0, cooldownUntil: 0 };
      this.#byFaction.set(factionId, s);
    }
    if (s.current > 0 && now >= s.lastHitAt + CHAIN_TIMEOUT_SECONDS) Object.assign(s, { id: 0, current: 0, start: 0, lastHitAt: 0 });
    return s;
  }

  #begin(s: ChainState, now: number): void {
    if (s.current > 0) return;
    s.id = this.#nextId++;
    s.start = now;
  }

  set(factionId: number, input: ChainInput, now: number): void {
    const s = this.#state(factionId, now);
    if (input.current !== undefined) {
      if (input.current === 0) Object.assign(s, { id: 0, current: 0, start: 0, lastHitAt: 0 });
      else {
        this.#begin(s, now);
        s.current = input.current;
        s.lastHitAt = now;
      }
    }
    if (input.hits !== undefined && input.hits > 0) {
      this.#begin(s, now);
      s.current += input.hits;
      s.lastHitAt = now;
    }
    if (input.timeout !== undefined) {
      if (s.current === 0) throw new SimControlError(409, 'timeout needs a running chain: give current or hits too');
      s.lastHitAt = now - (CHAIN_TIMEOUT_SECONDS - input.timeout);
    }
    if (input.cooldown !== undefined) s.cooldownUntil = input.cooldown > 0 ? now + input.cooldown : 0;
  }

  /** The spec's FactionOngoingChain at `now`. */
  view(factionId: number, now: number): Record<string, unknown> {
    const s = this.#state(factionId, now);
    const running = s.current > 0;
    const reached = MILESTONES.filter((m) => m <= s.current).length;
    return {
      id: s.id,
      current: s.current,
      max: MILESTONES.find((m) => m > s.current) ?? MILESTONES[MILESTONES.length - 1],
      timeout: running ? s.lastHitAt + CHAIN_TIMEOUT_SECONDS - now : 0,
      // A plausible curve (Torn publishes none): a tenth more respect per milestone reached.
      modifier: Math.round((1 + reached / 10) * 100) / 100,
      // The spec: "Timestamp until when chain is on cooldown"; 0 when there is none.
      cooldown: s.cooldownUntil > now ? s.cooldownUntil : 0,
      start: s.start,
      // A chain still running has not ended: 0, as Torn's other answers write "not over".
      end: 0,
    };
  }
}
