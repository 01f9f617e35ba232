import type { Logger } from 'pino';
import type { Database } from '../db/database.js';
import type { TornClock } from '../torn/index.js';
import { toError } from '../errors.js';
import { deleteExpiredSessions } from '../auth/sessions.js';
import { pruneEvents } from '../realtime/event-log.js';
import { deleteDisabledKeys, deleteKeysWithoutSession } from '../auth/keys.js';
import { deleteEndedCalls, expireCalls } from '../war/calls.js';
import { refreshSummaryView } from '../war/summary.js';
import { deleteExpiredAssists } from '../war/assists.js';
import { forgetGoneNodes } from '../sync/nodes.js';

export interface HousekeepingOptions {
  db: Database;
  log: Logger;
  /** Torn's clock as this node knows it: the times of the calls it expires are shown on it. */
  clock: TornClock;
  callTtlMs: number;
  /** Events older than this may go… @default 24 h */
  eventMaxAgeMs?: number;
  /** …but each faction keeps at least its newest this many. @default 10000 */
  eventsKeptPerFaction?: number;
  /** Ended calls and disabled keys older than this many days are deleted (RETENTION_DAYS). @default 30 */
  retentionDays?: number;
  /** How often the event log is pruned and old rows are deleted. @default 600000 (10 minutes) */
  sweepIntervalMs?: number;
  /** How often the `war_summary` materialized view is refreshed (one node does it). @default 30000 */
  summaryViewIntervalMs?: number;
}

/** What one purge deleted. */
export interface PurgeCounts {
  sessions: number;
  calls: number;
  keys: number;
}

/**
 * The slow timers: calls past their TTL end as `expired` (each an event; calls waiting for their
 * target's hospital exit have no TTL yet), the event log is pruned, and expired sessions, old ended
 * calls, old disabled keys, expired assist requests and polling nodes silent for a day are deleted. Several nodes may run
 * them at once: the row locks make each expiry happen once, and a row two nodes both try to delete
 * is deleted by one and skipped by the other.
 */
export class Housekeeping {
  #o: HousekeepingOptions;
  #timers: NodeJS.Timeout[] = [];

  constructor(o: HousekeepingOptions) {
    this.#o = o;
  }

  start(): void {
    // A call expires at most a second late; with a short TTL (tests) sooner.
    const expiryMs = Math.max(100, Math.min(1000, this.#o.callTtlMs / 10));
    this.#timers.push(setInterval(() => void this.expireNow(), expiryMs));
    this.#timers.push(setInterval(() => void this.#sweep(), this.#o.sweepIntervalMs ?? 10 * 60_000));
    this.#timers.push(setInterval(() => void this.refreshSummaryViewNow(), this.#o.summaryViewIntervalMs ?? 30_000));
    for (const t of this.#timers) t.unref();
  }

  async expireNow(): Promise<number> {
    try {
      return (await this.#o.db.transaction((tx) => expireCalls(tx, this.#o.clock))).length;
    } catch (e) {
      this.#o.log.warn({ err: toError(e) }, 'call expiry failed; retrying at the next tick');
      return 0;
    }
  }

  /** The seed's `war_summary` view for SQL readers; syncs compute their own war's summary instead. */
  async refreshSummaryViewNow(): Promise<boolean> {
    try {
      return await refreshSummaryView(this.#o.db);
    } catch (e) {
      this.#o.log.warn({ err: toError(e) }, 'war_summary view refresh failed; retrying at the next tick');
      return false;
    }
  }

  async pruneNow(): Promise<number> {
    try {
      return await pruneEvents(this.#o.db, this.#o.eventMaxAgeMs ?? 86_400_000, this.#o.eventsKeptPerFaction ?? 10_000);
    } catch (e) {
      this.#o.log.warn({ err: toError(e) }, 'event log pruning failed');
      return 0;
    }
  }

  /**
   * Deletes expired sessions and the keys of members left with none, and ended calls and disabled
   * keys older than the retention. Each on its own statement, so one failing (a lock timeout, say)
   * does not keep the others.
   */
  async purgeNow(): Promise<PurgeCounts> {
    const days = this.#o.retentionDays ?? 30;
    const counts: PurgeCounts = {
      sessions: await this.#attempt('expired sessions', () => deleteExpiredSessions(this.#o.db)),
      calls: await this.#attempt('ended calls', () => deleteEndedCalls(this.#o.db, days)),
      keys:
        (await this.#attempt('disabled keys', () => deleteDisabledKeys(this.#o.db, days))) +
        // Keys are kept only while their owner is signed in (src/protocol/terms.ts): expired sessions take theirs along.
        (await this.#attempt('keys of members no longer signed in', () => deleteKeysWithoutSession(this.#o.db))),
    };
    if (counts.sessions + counts.calls + counts.keys > 0) {
      this.#o.log.info({ ...counts, retentionDays: days }, 'housekeeping deleted old rows');
    }
    return counts;
  }

  /**
   * Assist requests past their expiry go. Members dropped them at `expiresAt` already (the snapshot
   * leaves them out too), so the sweep's pace is enough.
   */
  deleteExpiredAssistsNow(): Promise<number> {
    return this.#attempt('expired assist requests', () => deleteExpiredAssists(this.#o.db));
  }

  /** Rows of polling nodes silent for a day (torn_nodes). */
  forgetGoneNodesNow(): Promise<number> {
    return this.#attempt('gone polling nodes', () => forgetGoneNodes(this.#o.db));
  }

  async #sweep(): Promise<void> {
    await this.pruneNow();
    await this.purgeNow();
    await this.deleteExpiredAssistsNow();
    await this.forgetGoneNodesNow();
  }

  async #attempt(what: string, run: () => Promise<number>): Promise<number> {
    try {
      return await run();
    } catch (e) {
      this.#o.log.warn({ err: toError(e) }, `deleting ${what} failed; retrying at the next sweep`);
      return 0;
    }
  }

  stop(): void {
    for (const t of this.#timers) clearInterval(t);
    this.#timers = [];
  }
}
