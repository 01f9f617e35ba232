import type { Logger } from 'pino';
import { isGlobalBackoff, isTornApiError, type TornApiError } from '../torn/index.js';
import { Backoff, backoffDelay } from '../backoff.js';
import type { KeyPool, PooledKey } from './key-pool.js';
import type { SyncMetrics } from './sync-metrics.js';
import type { JobOutcome } from './job-outcome.js';
import type { SyncProblemCode } from '../protocol/sync-status.js';

export interface TornRequesterOptions {
  keys: KeyPool;
  log: Logger;
  metrics: SyncMetrics;
  /** First wait of the node-wide back-off on Torn errors 8, 9, 17, 24. */
  backoffBaseMs: number;
  /** @default 300000 (5 minutes) */
  backoffMaxMs?: number;
  /** Extra tries of a request that timed out or met a network error, after a jittered pause. @default 2 */
  networkRetries?: number;
  /** The factions this node knows: each shows the node's back-off in the metrics. */
  factions: () => Iterable<number>;
  /** A request of the faction just got a key (the scheduler's fairness). */
  served: (factionId: number) => void;
}

/**
 * A job's request: Torn's answer, or what the job should tell the scheduler instead, with why Torn
 * could not be read (null: nothing members need to hear of, e.g. a key's budget spent for a moment).
 */
export type RequestResult<T> = { ok: true; value: T } | { ok: false; outcome: JobOutcome; problem: SyncProblemCode | null };

const BACKED_OFF = { ok: false, outcome: { kind: 'backoff' }, problem: 'node_backed_off' } as const;

/**
 * The one way a job asks Torn: with a key from the pool (within the player's and the egress
 * address's budgets), network errors and timeouts retried with jitter, a dead key disabled and a
 * rate-limited player's keys rested (the next request uses another), and errors 8, 9, 17, 24
 * backing the whole node off. Backing off, once the wait is over, one request probes Torn while
 * the others hold; its answer ends the back-off or extends it.
 */
export class TornRequester {
  #o: TornRequesterOptions;
  /**
   * One back-off for the whole node: Torn blocks an IP (8), or is down for everyone (9, 17, 24),
   * and every faction polled from here would only make it worse or learn the same.
   */
  #backoff: Backoff;
  /** When the back-off last grew: answers to requests sent before then were already counted. */
  #backoffGrewAt = 0;
  /** Once the wait is over, one request probes Torn while the others hold. */
  #probing = false;
  #stopped = false;

  constructor(options: TornRequesterOptions) {
    this.#o = options;
    this.#backoff = new Backoff({ baseMs: options.backoffBaseMs, maxMs: options.backoffMaxMs ?? 300_000 });
  }

  /** The node is backing off and its wait is not over. */
  blocked(now: number): boolean {
    return this.#backoff.blocked(now);
  }

  /** Requests this node's egress address may still send in the current window, every node together (as last read). */
  addressRemaining(now: number): number {
    return this.#o.keys.addressRemaining(now);
  }

  /** A faction new to this node shows the node's back-off at once. */
  showBackoff(factionId: number): void {
    if (this.#backoff.level > 0) this.#o.metrics.backoff(factionId, this.#backoff.level, this.#backoff.until - Date.now());
  }

  /** No more retries: the node is stopping. */
  stop(): void {
    this.#stopped = true;
  }

  start(): void {
    this.#stopped = false;
  }

  /**
   * Sends `request` with a key of one of the faction's members. `force` (a forced sync) goes past
   * the budgets and the back-off's wait (uses still count).
   */
  async send<T>(factionId: number, force: boolean, request: (key: PooledKey) => Promise<T>): Promise<RequestResult<T>> {
    const retries = this.#o.networkRetries ?? 2;
    for (let attempt = 0; ; attempt++) {
      let probe = false;
      if (this.#backoff.level > 0) {
        if (!force && (this.#probing || this.#backoff.blocked(Date.now()))) return BACKED_OFF;
        probe = !this.#probing;
        if (probe) this.#probing = true;
      }
      try {
        const taken = await this.#o.keys.take(factionId, { ignoreBudget: force });
        if (!taken.key) {
          // No member key at all: look again an interval later; all keys spent: when one frees up.
          return taken.reason === 'budget'
            ? { ok: false, outcome: { kind: 'wait', retryAt: taken.retryAt }, problem: null }
            : { ok: false, outcome: { kind: 'ran', changed: false }, problem: 'no_usable_key' };
        }
        const key = taken.key;
        this.#o.served(factionId);
        // Another faction's request may have met the block while this one waited for its key.
        if (!force && !probe && this.#backoff.blocked(Date.now())) return BACKED_OFF;
        const sentAt = Date.now();
        try {
          const value = await request(key);
          if (this.#backoff.level > 0 && sentAt >= this.#backoffGrewAt) {
            this.#o.log.info({ factionId, level: this.#backoff.level }, 'Torn answers again: back-off over, every faction resumes');
            this.#backoff.succeed();
            this.#reportBackoff();
          }
          return { ok: true, value };
        } catch (e) {
          if (!isTornApiError(e)) throw e;
          const outcome = await this.#tornFailed(factionId, key, e, sentAt);
          if (outcome) return { ok: false, outcome, problem: outcome.kind === 'backoff' ? 'node_backed_off' : 'torn_error' };
          if (attempt >= retries || this.#stopped)
            return { ok: false, outcome: { kind: 'ran', changed: false }, problem: 'torn_unreachable' };
        }
      } finally {
        if (probe) this.#probing = false;
      }
      await new Promise((r) => setTimeout(r, backoffDelay(attempt + 1, { baseMs: 100, maxMs: 2000 })));
    }
  }

  /** What a Torn error means for the faction (and the node); null: worth retrying now (timeout, network, 5xx). */
  async #tornFailed(factionId: number, key: PooledKey, e: TornApiError, sentAt: number): Promise<JobOutcome | null> {
    const log = this.#o.log;
    if (isGlobalBackoff(e.kind)) {
      // Requests in flight when the first error came back report the same block: it grows once.
      if (sentAt >= this.#backoffGrewAt) {
        const now = Date.now();
        const wait = this.#backoff.fail(now);
        this.#backoffGrewAt = now;
        this.#reportBackoff();
        log.warn(
          { factionId, code: e.code, kind: e.kind, waitMs: wait, level: this.#backoff.level },
          `${e.message}: every faction on this node backs off`,
        );
      }
      return { kind: 'backoff' };
    }
    const action = await this.#o.keys.reportError(key, e);
    if (action) {
      this.#o.metrics.keyAction(action);
      log.warn(
        { factionId, playerId: key.playerId, code: e.code, kind: e.kind },
        `${e.message}: ${action === 'rested' ? "the player's keys rest" : 'key disabled'}`,
      );
      return { kind: 'ran', changed: false };
    }
    if (e.kind === 'timeout' || e.kind === 'network' || e.kind === 'temporary') {
      log.warn({ factionId, kind: e.kind }, e.message);
      return null;
    }
    log.warn({ factionId, code: e.code, kind: e.kind }, e.message);
    return { kind: 'ran', changed: false };
  }

  /** Every faction this node knows shows the node's back-off. */
  #reportBackoff(): void {
    const remaining = Math.max(0, this.#backoff.until - Date.now());
    for (const id of this.#o.factions()) this.#o.metrics.backoff(id, this.#backoff.level, remaining);
  }
}
