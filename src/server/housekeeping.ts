import type { Logger } from 'pino';
import type { Database } from '../db/database.js';
import { toError } from '../errors.js';
import { pruneEvents } from '../realtime/event-log.js';
import { expireCalls } from '../war/calls.js';

export interface HousekeepingOptions {
  db: Database;
  log: Logger;
  callTtlMs: number;
  /** Events older than this may go… @default 24 h */
  eventMaxAgeMs?: number;
  /** …but each faction keeps at least its newest this many. @default 10000 */
  eventsKeptPerFaction?: number;
}

/**
 * The slow timers: calls past their TTL end as `expired` (each an event), and the event log is
 * pruned. Several nodes may run them at once: the row locks make each expiry happen once.
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
    this.#timers.push(setInterval(() => void this.pruneNow(), 10 * 60_000));
    for (const t of this.#timers) t.unref();
  }

  async expireNow(): Promise<number> {
    try {
      return (await this.#o.db.transaction((tx) => expireCalls(tx))).length;
    } catch (e) {
      this.#o.log.warn({ err: toError(e) }, 'call expiry failed; retrying at the next tick');
      return 0;
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

  stop(): void {
    for (const t of this.#timers) clearInterval(t);
    this.#timers = [];
  }
}
