import type { Queryable } from '../../db/database.js';
import { headSeq, headSeqs, oldestSeq, readEvents, type LoggedEvent } from '../event-log.js';

/** What the hub reads of the event log. Tests give it an in-memory log. */
export interface EventReader {
  /** The faction's last seq (0 when it has none). */
  head(factionId: number): Promise<number>;
  heads(factionIds: readonly number[]): Promise<Map<number, number>>;
  /** The oldest seq the log still holds, null when it holds none. */
  oldest(factionId: number): Promise<number | null>;
  /** Events after `afterSeq`, in order, at most `limit`. */
  read(factionId: number, afterSeq: number, limit: number): Promise<LoggedEvent[]>;
}

/** The event log in the database. */
export function logReader(db: Queryable): EventReader {
  return {
    head: (f) => headSeq(db, f),
    heads: (ids) => headSeqs(db, ids),
    oldest: (f) => oldestSeq(db, f),
    read: (f, after, limit) => readEvents(db, f, after, limit),
  };
}
