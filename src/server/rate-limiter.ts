import { AppError } from '../errors.js';
import type { AddressBudget } from '../sync/address-budget.js';

/**
 * A per-key allowance: a RateLimiter in this process, or (under WORKERS) one the primary process
 * holds for every worker, which answers over IPC: hence the promise.
 */
export interface Allowance {
  /** Spends `cost` of the key's allowance, or throws (rejects with) `rate_limited`, spending nothing. */
  take(key: string, cost?: number): void | Promise<void>;
}

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * A token bucket per key (an IP address, a player): `perMinute` operations a minute, in bursts of
 * up to `perMinute`. Over the limit the caller gets `rate_limited` with the seconds to wait.
 * Per node (every worker of a node together): behind several nodes a client gets at most this much from each.
 */
export class RateLimiter implements Allowance {
  readonly #perMinute: number;
  readonly #what: string;
  readonly #now: () => number;
  #buckets = new Map<string, Bucket>();

  /** `what` completes "Too many …" in the refusal, e.g. "sign-in attempts from your address". */
  constructor(perMinute: number, what: string, now: () => number = Date.now) {
    this.#perMinute = perMinute;
    this.#what = what;
    this.#now = now;
  }

  /** Spends `cost` of the key's allowance, or throws `rate_limited` (spending nothing). */
  take(key: string, cost = 1): void {
    const now = this.#now();
    const b = this.#refill(key, now);
    if (b.tokens >= cost) {
      b.tokens -= cost;
      return;
    }
    const waitS = ((Math.min(cost, this.#perMinute) - b.tokens) / this.#perMinute) * 60;
    throw new AppError('rate_limited', `Too many ${this.#what}: at most ${this.#perMinute} a minute. Try again in ${Math.ceil(waitS)} s`, {
      retryAfterS: waitS,
    });
  }

  #refill(key: string, now: number): Bucket {
    let b = this.#buckets.get(key);
    if (!b) {
      // Full buckets carry no information: forget them now and then, so the map stays small.
      if (this.#buckets.size >= 10_000) this.#forgetFull(now);
      b = { tokens: this.#perMinute, at: now };
      this.#buckets.set(key, b);
      return b;
    }
    b.tokens = Math.min(this.#perMinute, b.tokens + ((now - b.at) / 60_000) * this.#perMinute);
    b.at = now;
    return b;
  }

  #forgetFull(now: number): void {
    for (const [k, b] of this.#buckets) {
      if (b.tokens + ((now - b.at) / 60_000) * this.#perMinute >= this.#perMinute) this.#buckets.delete(k);
    }
  }
}

/**
 * A limit shared by every node sending to Torn from one egress address, in the database (a sliding
 * window, address-budget.ts): over it the caller gets `rate_limited` with the seconds to wait.
 */
export class AddressLimiter {
  readonly #budget: AddressBudget;
  readonly #what: string;

  constructor(budget: AddressBudget, what: string) {
    this.#budget = budget;
    this.#what = what;
  }

  /** Spends one of the address's allowance, or throws `rate_limited` (spending nothing). */
  async take(): Promise<void> {
    const spent = await this.#budget.spend();
    if (spent.granted) return;
    const waitS = Math.max(0, spent.availableAt - Date.now()) / 1000;
    throw new AppError(
      'rate_limited',
      `Too many ${this.#what}: at most ${this.#budget.perWindow} a minute. Try again in ${Math.max(1, Math.ceil(waitS))} s`,
      { retryAfterS: waitS },
    );
  }
}

/**
 * Keys Torn rejected, by digest, for a while: Torn bans an IP that keeps sending invalid keys, so the
 * same bad key typed again is answered here without asking Torn.
 */
export class RejectedKeys {
  readonly #cooldownMs: number;
  readonly #now: () => number;
  #until = new Map<string, number>();

  constructor(cooldownMs: number, now: () => number = Date.now) {
    this.#cooldownMs = cooldownMs;
    this.#now = now;
  }

  /** Throws `rate_limited` when Torn rejected this key within the cooldown. */
  check(digest: string): void {
    const until = this.#until.get(digest);
    if (until === undefined) return;
    const left = until - this.#now();
    if (left <= 0) {
      this.#until.delete(digest);
      return;
    }
    throw new AppError(
      'rate_limited',
      `Torn rejected this API key a moment ago; it is not sent to Torn again for ${Math.ceil(left / 60_000)} min (Torn bans addresses that repeat invalid keys). Check the key, or create a new one`,
      { retryAfterS: left / 1000 },
    );
  }

  remember(digest: string): void {
    if (this.#cooldownMs <= 0) return;
    const now = this.#now();
    if (this.#until.size >= 10_000) for (const [k, t] of this.#until) if (t <= now) this.#until.delete(k);
    this.#until.set(digest, now + this.#cooldownMs);
  }
}
