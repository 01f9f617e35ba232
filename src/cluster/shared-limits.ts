import type { Config } from '../config.js';
import { AppError, toError } from '../errors.js';
import { createLimits } from '../server/limits.js';
import { StreamCaps } from '../server/stream-caps.js';
import type { RejectedKeys } from '../server/rate-limiter.js';
import type { LimitName, PrimaryMessage, WorkerRequest } from './messages.js';

/**
 * The primary's half of the machine-wide limits: one set of limiters and stream caps for every
 * worker, so SIGN_IN_LIMIT_PER_MIN, CALL_OPS_LIMIT_PER_MIN, STREAMS_PER_TOKEN, STREAMS_PER_IP and
 * REJECTED_KEY_COOLDOWN_MS hold for the node, not for each worker (UNKNOWN_KEY_CHECKS_PER_MIN and the
 * Torn budgets are counted in the database, across nodes and so across workers).
 */
export class SharedLimits {
  readonly #limits: Record<LimitName, { take(key: string, cost?: number): void }>;
  readonly #streams: StreamCaps;
  readonly #rejected: RejectedKeys;

  constructor(config: Config) {
    const { signIn, callOps, rejectedKeys } = createLimits(config);
    this.#limits = { signIn, callOps };
    this.#rejected = rejectedKeys;
    this.#streams = new StreamCaps(config.streamsPerToken, config.streamsPerIp);
  }

  /** The answer to worker `worker`'s request (the metrics request is the primary's, not answered here). */
  answer(worker: number, r: Exclude<WorkerRequest, { torncat: 'metrics' }>): PrimaryMessage {
    try {
      if (r.torncat === 'take') {
        this.#limits[r.limit].take(r.key, r.cost);
        return { torncat: 'reply', id: r.id };
      }
      if (r.torncat === 'rejected-check') {
        this.#rejected.check(r.digest);
        return { torncat: 'reply', id: r.id };
      }
      return { torncat: 'reply', id: r.id, slot: this.#streams.take(r.digest, r.ip, worker) };
    } catch (e) {
      if (e instanceof AppError && e.code === 'rate_limited')
        return { torncat: 'reply', id: r.id, refused: { code: e.code, message: e.message, retryAfterS: e.retryAfterS } };
      return { torncat: 'reply', id: r.id, failed: toError(e).message };
    }
  }

  /** Torn rejected this key (a worker met it): every worker refuses it for REJECTED_KEY_COOLDOWN_MS. */
  rememberRejected(digest: string): void {
    this.#rejected.remember(digest);
  }

  releaseStream(slot: number): void {
    this.#streams.free(slot);
  }

  /** A worker exited: its streams ended with it. Returns how many it held. */
  workerGone(worker: number): number {
    return this.#streams.freeOwner(worker);
  }
}
