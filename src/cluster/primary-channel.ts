import type { RecentlyRejected } from '../auth/sign-in.js';
import { AppError } from '../errors.js';
import type { Allowance } from '../server/rate-limiter.js';
import type { StreamSlots } from '../server/stream-caps.js';
import { isPrimaryMessage, type LimitName, type PrimaryMessage, type WorkerMessage, type WorkerRequest } from './messages.js';

/** A primary that does not answer within this is gone (the worker then exits with it): the request fails rather than hangs. */
const REPLY_TIMEOUT_MS = 10_000;

type Request = WorkerRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

/** A worker's line to its primary: requests with a reply (allowances, stream slots, the machine's metrics) and notes without. */
export class PrimaryChannel {
  #next = 1;
  #waiting = new Map<number, { resolve(m: PrimaryMessage): void; reject(e: Error): void; timer: NodeJS.Timeout }>();

  constructor() {
    process.on('message', (m: unknown) => {
      if (!isPrimaryMessage(m)) return;
      const w = this.#waiting.get(m.id);
      if (!w) return;
      this.#waiting.delete(m.id);
      clearTimeout(w.timer);
      w.resolve(m);
    });
  }

  request(r: Request): Promise<PrimaryMessage> {
    const id = this.#next++;
    if (!process.connected) return Promise.reject(new Error('the primary process is gone'));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiting.delete(id);
        reject(new Error(`the primary process did not answer ${r.torncat} within ${REPLY_TIMEOUT_MS / 1000} s`));
      }, REPLY_TIMEOUT_MS);
      timer.unref();
      this.#waiting.set(id, { resolve, reject, timer });
      this.tell({ ...r, id } as WorkerMessage);
    });
  }

  tell(m: WorkerMessage): void {
    // With the primary gone the channel is closed: the request times out (or fails at once, below)
    // rather than an 'error' ending the worker, which stops by itself within a second (exitOnStop).
    if (process.connected) process.send?.(m, undefined, undefined, () => {});
  }

  /** An allowance the primary keeps for every worker. */
  allowance(limit: LimitName): Allowance {
    return {
      take: async (key, cost = 1) => {
        refuseIfRefused(await this.request({ torncat: 'take', limit, key, cost }));
      },
    };
  }

  /** The keys Torn rejected lately, remembered by the primary for every worker. */
  rejectedKeys(): RecentlyRejected {
    return {
      check: async (digest) => refuseIfRefused(await this.request({ torncat: 'rejected-check', digest })),
      remember: (digest) => this.tell({ torncat: 'rejected-remember', digest }),
    };
  }

  /** The stream caps the primary counts for every worker. */
  streamSlots(): StreamSlots {
    return {
      acquire: async (digest, ip) => {
        const reply = await this.request({ torncat: 'acquire-stream', digest, ip });
        refuseIfRefused(reply);
        const slot = reply.slot!;
        return () => this.tell({ torncat: 'release-stream', slot });
      },
    };
  }
}

function refuseIfRefused(reply: PrimaryMessage): void {
  if (reply.failed) throw new Error(`the primary process failed: ${reply.failed}`);
  const r = reply.refused;
  if (r) throw new AppError(r.code, r.message, r.retryAfterS === undefined ? undefined : { retryAfterS: r.retryAfterS });
}
