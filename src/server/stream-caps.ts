import { AppError } from '../errors.js';

/** Where OpenStreams counts its streams against STREAMS_PER_TOKEN and STREAMS_PER_IP. */
export interface StreamSlots {
  /** Takes a slot for one more stream of this session and address, or throws (rejects with) `rate_limited`. Returns its release. */
  acquire(digest: string, ip: string): (() => void) | Promise<() => void>;
}

interface Slot {
  digest: string;
  ip: string;
  owner: number;
}

/**
 * Open streams by session and by address, capped. One per process, or under WORKERS one in the
 * primary counting every worker's streams: each slot has an owner (a worker) whose slots all go
 * when it dies, so a crashed worker's clients are not refused when they reconnect.
 */
export class StreamCaps implements StreamSlots {
  readonly #perToken: number;
  readonly #perIp: number;
  #slots = new Map<number, Slot>();
  #byDigest = new Map<string, number>();
  #byIp = new Map<string, number>();
  #next = 1;

  constructor(perToken: number, perIp: number) {
    this.#perToken = perToken;
    this.#perIp = perIp;
  }

  acquire(digest: string, ip: string): () => void {
    const slot = this.take(digest, ip, 0);
    return () => this.free(slot);
  }

  /** Takes a slot for `owner` and returns its number, or throws `rate_limited`. */
  take(digest: string, ip: string, owner: number): number {
    if ((this.#byDigest.get(digest) ?? 0) >= this.#perToken) {
      throw new AppError('rate_limited', `Too many open streams for this session: at most ${this.#perToken}. Close a tab or window`, {
        retryAfterS: 5,
      });
    }
    if ((this.#byIp.get(ip) ?? 0) >= this.#perIp) {
      throw new AppError('rate_limited', `Too many open streams from your address: at most ${this.#perIp}`, { retryAfterS: 5 });
    }
    const n = this.#next++;
    this.#slots.set(n, { digest, ip, owner });
    bump(this.#byDigest, digest, 1);
    bump(this.#byIp, ip, 1);
    return n;
  }

  /** Gives a slot back (idempotent). */
  free(n: number): void {
    const slot = this.#slots.get(n);
    if (!slot) return;
    this.#slots.delete(n);
    bump(this.#byDigest, slot.digest, -1);
    bump(this.#byIp, slot.ip, -1);
  }

  /** Gives back every slot of `owner` (a worker that exited). Returns how many. */
  freeOwner(owner: number): number {
    let freed = 0;
    for (const [n, slot] of this.#slots) {
      if (slot.owner !== owner) continue;
      this.free(n);
      freed++;
    }
    return freed;
  }
}

function bump(counts: Map<string, number>, key: string, by: number): void {
  const n = (counts.get(key) ?? 0) + by;
  if (n > 0) counts.set(key, n);
  else counts.delete(key);
}
