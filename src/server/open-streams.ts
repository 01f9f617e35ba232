import type { Logger } from 'pino';
import type { Queryable } from '../db/database.js';
import { liveSessionDigests } from '../auth/sessions.js';
import { toError } from '../errors.js';
import { StreamCaps, type StreamSlots } from './stream-caps.js';

/** One open SSE stream, WebSocket or waiting long-poll, and the session it stands on. */
export interface OpenStream {
  /** Hex SHA-256 of the session token. */
  readonly digest: string;
  readonly ip: string;
  /**
   * Ends the stream: `revoked` when its session ended (the client must sign in again), `shutdown`
   * when this node stops (the client resumes elsewhere).
   */
  end(reason: 'revoked' | 'shutdown'): void;
}

/** A stream's place in the registry. */
export interface Registration {
  /** Once its token is checked: the player whose re-checks concern it (until then, every re-check does). */
  identify(playerId: number): void;
  /** Leaves the registry (idempotent). */
  release(): void;
}

interface Entry {
  stream: OpenStream;
  playerId: number | undefined;
}

export interface OpenStreamsOptions {
  db: Queryable;
  log: Logger;
  perToken: number;
  perIp: number;
  /** Where the caps are counted. @default a StreamCaps of this process (under WORKERS: the primary's, over IPC) */
  slots?: StreamSlots;
}

/**
 * Every stream this node serves, by session and by address: it caps how many one token or one IP
 * may hold, and closes the streams whose session ended. Rights are not cached: when the database
 * says sessions ended (a NOTIFY from migration 004's trigger, or a reconnect after which any could
 * have), the streams concerned ask the database again.
 *
 * A stream registers before its token is checked (see MemberStream): a session that ends at any
 * moment after that check is then seen by the re-check its ending triggers, which finds it here.
 */
export class OpenStreams {
  #o: OpenStreamsOptions;
  #byDigest = new Map<string, Set<Entry>>();
  #slots: StreamSlots;
  /** Players whose streams wait for a re-check; null = everyone. */
  #pending: Set<number> | null | undefined;
  #checking: Promise<void> | undefined;

  constructor(o: OpenStreamsOptions) {
    this.#o = o;
    this.#slots = o.slots ?? new StreamCaps(o.perToken, o.perIp);
  }

  get size(): number {
    let n = 0;
    for (const set of this.#byDigest.values()) n += set.size;
    return n;
  }

  /** Registers a stream, or throws (rejects with) `rate_limited` when its token or address holds too many already. */
  async open(s: OpenStream): Promise<Registration> {
    const freeSlot = await this.#slots.acquire(s.digest, s.ip);
    const entry: Entry = { stream: s, playerId: undefined };
    const same = this.#byDigest.get(s.digest);
    if (same) same.add(entry);
    else this.#byDigest.set(s.digest, new Set([entry]));
    let open = true;
    return {
      identify: (playerId) => (entry.playerId = playerId),
      release: () => {
        if (!open) return;
        open = false;
        const set = this.#byDigest.get(s.digest);
        set?.delete(entry);
        if (set?.size === 0) this.#byDigest.delete(s.digest);
        freeSlot();
      },
    };
  }

  /** Shutdown: every stream ends, and its client resumes on another node. */
  endAll(): void {
    for (const set of [...this.#byDigest.values()]) for (const e of [...set]) e.stream.end('shutdown');
  }

  /**
   * Sessions of `playerId` (null: of anyone) may have ended: ask the database which of their open
   * streams still stand, and revoke the rest. Calls made while a check runs are merged into one more.
   */
  recheck(playerId: number | null): Promise<void> {
    if (playerId === null || this.#pending === null) this.#pending = null;
    else (this.#pending ??= new Set()).add(playerId);
    this.#checking ??= this.#drain().finally(() => (this.#checking = undefined));
    return this.#checking;
  }

  async #drain(): Promise<void> {
    while (this.#pending !== undefined) {
      const players = this.#pending;
      this.#pending = undefined;
      // A stream whose token is still being checked may be anyone's: it is re-checked too.
      const streams = [...this.#byDigest.values()]
        .flatMap((set) => [...set])
        .filter((e) => players === null || e.playerId === undefined || players.has(e.playerId))
        .map((e) => e.stream);
      if (streams.length === 0) continue;
      const digests = [...new Set(streams.map((s) => s.digest))];
      let live: Set<string>;
      try {
        live = await liveSessionDigests(
          this.#o.db,
          digests.map((d) => Buffer.from(d, 'hex')),
        );
      } catch (e) {
        // The database is away: the listener re-checks everyone once it is back.
        this.#o.log.warn({ err: toError(e) }, 'could not re-check the sessions of open streams');
        continue;
      }
      let revoked = 0;
      for (const s of streams) {
        if (live.has(s.digest)) continue;
        revoked++;
        s.end('revoked');
      }
      if (revoked) this.#o.log.info({ revoked }, 'closed streams whose session ended');
    }
  }
}
