// Factions' chains, as `/v2/faction/{id}/chain` shows them (the spec's FactionOngoingChain). A hit
// resets the chain's timer to Torn's five minutes; a timer that runs out breaks the chain. Chains move
// only when the control endpoint hits or sets them: a test decides what the poller sees.

import { SimControlError } from './sim-control-error.js';

/** Seconds a chain survives after its last hit, as on Torn. */
export const CHAIN_TIMEOUT_SECONDS = 300;

/** The chain bar's milestones: Torn shows "current / next milestone". */
const MILESTONES = [10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 25000, 50000, 100000];

/** A chain as its report shows it, kept after it breaks: `/v2/faction/{chainId}/chainreport` reads it. */
export interface ChainRecord {
  id: number;
  factionId: number;
  start: number;
  /** Unix seconds it broke; 0 while it runs. */
  end: number;
  /** Hits it reached. */
  current: number;
}

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
  #history = new Map<number, ChainRecord>();
  /** Each faction's newest chain id: `/v2/faction/chainreport` shows that one, running or not. */
  #latest = new Map<number, number>();
  #nextId: number;
  readonly #firstId: number;

  constructor(firstId: number) {
    this.#firstId = firstId;
    this.#nextId = firstId;
  }

  clear(): void {
    this.#byFaction.clear();
    this.#history.clear();
    this.#latest.clear();
    this.#nextId = this.#firstId;
  }

  #state(factionId: number, now: number): ChainState {
    let s = this.#byFaction.get(factionId);
    if (!s) {
      s = { id: 0, current: 0, start: 0, lastHitAt: 0, cooldownUntil: 0 };
      this.#byFaction.set(factionId, s);
    }
    if (s.current > 0 && now >= s.lastHitAt + CHAIN_TIMEOUT_SECONDS) this.#break(s, s.lastHitAt + CHAIN_TIMEOUT_SECONDS);
    return s;
  }

  #break(s: ChainState, at: number): void {
    const record = this.#history.get(s.id);
    if (record) record.end = at;
    Object.assign(s, { id: 0, current: 0, start: 0, lastHitAt: 0 });
  }

  #begin(s: ChainState, factionId: number, now: number): void {
    if (s.current > 0) return;
    s.id = this.#nextId++;
    s.start = now;
    this.#history.set(s.id, { id: s.id, factionId, start: now, end: 0, current: 0 });
    this.#latest.set(factionId, s.id);
  }

  /** The chain with this id, running or broken; undefined for an id never used. */
  record(chainId: number, now: number): ChainRecord | undefined {
    const r = this.#history.get(chainId);
    if (r) this.#state(r.factionId, now);
    return r;
  }

  /** The faction's newest chain, running or broken; undefined when it never chained. */
  latest(factionId: number, now: number): ChainRecord | undefined {
    const id = this.#latest.get(factionId);
    return id === undefined ? undefined : this.record(id, now);
  }

  /** The id of the faction's running chain, 0 when none runs. */
  runningId(factionId: number, now: number): number {
    return this.#state(factionId, now).id;
  }

  set(factionId: number, input: ChainInput, now: number): void {
    const s = this.#state(factionId, now);
    if (input.current !== undefined) {
      if (input.current === 0) {
        if (s.current > 0) this.#break(s, now);
      } else {
        this.#begin(s, factionId, now);
        s.current = input.current;
        s.lastHitAt = now;
      }
    }
    if (input.hits !== undefined && input.hits > 0) {
      this.#begin(s, factionId, now);
      s.current += input.hits;
      s.lastHitAt = now;
    }
    const record = this.#history.get(s.id);
    if (record && s.current > 0) record.current = s.current;
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
