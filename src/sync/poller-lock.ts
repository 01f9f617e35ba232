import type { Logger } from 'pino';
import type { Database, LockSession } from '../db/database.js';
import { toError } from '../errors.js';
import { Backoff } from '../backoff.js';

/** First half of the two-int advisory lock key; the second is the faction id. */
const POLLER_LOCK_SPACE = 7_301_002;
/** First half of a node's own lock (its `torn_nodes.lock_id`): held while the node lives. */
export const NODE_LOCK_SPACE = 7_301_003;

/**
 * One poller per faction (so per war: a faction has one open war) across every node sharing the
 * database: a session-level advisory lock per faction, held on one dedicated connection. When the
 * holder dies its connection ends, PostgreSQL drops its locks, and the next node to try takes over.
 * A node that loses its lock connection forgets every lock at once and stops polling until it wins
 * one again (on a new connection).
 */
export class PollerLocks {
  #db: Database;
  #log: Logger;
  #session: LockSession | null = null;
  #connecting: Promise<LockSession | null> | null = null;
  // Jittered, so nodes that lost the database together do not reconnect in step; growing, so a
  // long outage costs a connection attempt every few seconds, not four a second.
  #reconnect = new Backoff({ baseMs: 1000, maxMs: 10_000 });
  #held = new Set<number>();
  #closed = false;

  constructor(db: Database, log: Logger) {
    this.#db = db;
    this.#log = log;
  }

  /** Takes (or confirms, one round trip on the lock connection) the faction's lock. */
  async hold(factionId: number): Promise<boolean> {
    const session = await this.#sessionNow();
    if (!session) {
      this.#held.delete(factionId);
      return false;
    }
    try {
      const ok = await session.tryLock(POLLER_LOCK_SPACE, factionId);
      if (ok && !this.#held.has(factionId)) this.#log.info({ factionId }, 'this node now polls the faction');
      if (ok) this.#held.add(factionId);
      else this.#held.delete(factionId);
      return ok;
    } catch (e) {
      this.#lost(session, toError(e));
      return false;
    }
  }

  /**
   * Takes (or confirms) the node's own lock on the lock connection: the other nodes see this node
   * alive exactly as long as its faction locks can be held (nodes.ts reads it in pg_locks).
   */
  async holdNode(lockId: number): Promise<boolean> {
    const session = await this.#sessionNow();
    if (!session) return false;
    try {
      return await session.tryLock(NODE_LOCK_SPACE, lockId);
    } catch (e) {
      this.#lost(session, toError(e));
      return false;
    }
  }

  get held(): ReadonlySet<number> {
    return this.#held;
  }

  async release(factionId: number): Promise<void> {
    if (!this.#held.delete(factionId)) return;
    await this.#session?.unlock(POLLER_LOCK_SPACE, factionId).catch(() => {});
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#connecting?.catch(() => null);
    const s = this.#session;
    this.#session = null;
    this.#held.clear();
    await s?.close();
  }

  async #sessionNow(): Promise<LockSession | null> {
    if (this.#session) return this.#session;
    if (this.#closed || this.#reconnect.blocked(Date.now())) return null;
    this.#connecting ??= (async () => {
      try {
        let s: LockSession | undefined = undefined;
        s = await this.#db.lockSession((e) => this.#lost(s, e));
        if (this.#closed) {
          await s.close();
          return null;
        }
        if (this.#reconnect.level > 0) this.#log.info({ attempts: this.#reconnect.level }, 'poller lock connection restored');
        this.#reconnect.succeed();
        this.#session = s;
        return s;
      } catch (e) {
        // One line per outage, not one per attempt.
        const level = this.#reconnect.level === 0 ? 'warn' : 'debug';
        const retryInMs = this.#reconnect.fail(Date.now());
        this.#log[level]({ err: toError(e), retryInMs }, 'cannot open the poller lock connection; retrying');
        return null;
      } finally {
        this.#connecting = null;
      }
    })();
    return this.#connecting;
  }

  #lost(session: LockSession | undefined, e: Error): void {
    // A session already replaced or closed: its loss changes nothing (its locks were not ours to count).
    if (!session || this.#session !== session) return;
    this.#session = null;
    if (this.#held.size) this.#log.warn({ err: e, factions: [...this.#held] }, 'poller lock connection lost: this node stops polling');
    this.#held.clear();
    void session?.close().catch(() => {});
  }
}
