import type { Queryable } from '../db/database.js';
import type { EventData, EventName } from '../protocol/events.js';

/** The named events (docs/protocol.md, "Events"). */
export type { EventName };

export interface LoggedEvent {
  factionId: number;
  seq: number;
  event: EventName;
  data: Record<string, unknown>;
}

/**
 * Appends one event to the faction's log inside the caller's transaction and returns its seq.
 * `data` is the event's payload as `EventData` (protocol/events.ts) types the name: a writer that
 * sends the wrong shape for an event does not compile.
 * The counter row's lock makes the seq gap-free and in commit order; the deferred trigger
 * NOTIFYs once at commit.
 */
export async function appendEvent<N extends EventName>(tx: Queryable, factionId: number, event: N, data: EventData[N]): Promise<number> {
  const r = await tx.query<{ seq: number }>('select torncat_append_event($1, $2, $3::json) as seq', [
    factionId,
    event,
    JSON.stringify(data),
  ]);
  return r.rows[0].seq;
}

/** The faction's last committed seq (0 before its first event). */
export async function headSeq(db: Queryable, factionId: number): Promise<number> {
  const r = await db.query<{ last_seq: number }>('select last_seq from faction_event_counters where faction_id = $1', [factionId]);
  return r.rows[0]?.last_seq ?? 0;
}

/** Heads of several factions at once (the catch-up timer). */
export async function headSeqs(db: Queryable, factionIds: readonly number[]): Promise<Map<number, number>> {
  const r = await db.query<{ faction_id: number; last_seq: number }>(
    'select faction_id, last_seq from faction_event_counters where faction_id = any($1::int[])',
    [factionIds],
  );
  return new Map(r.rows.map((row) => [row.faction_id, row.last_seq]));
}

/** Events after `afterSeq`, oldest first, at most `limit`. */
export async function readEvents(db: Queryable, factionId: number, afterSeq: number, limit: number): Promise<LoggedEvent[]> {
  const r = await db.query<{ seq: number; event: EventName; data: Record<string, unknown> }>(
    'select seq, event, data from faction_events where faction_id = $1 and seq > $2 order by seq limit $3',
    [factionId, afterSeq, limit],
  );
  return r.rows.map((row) => ({ factionId, seq: row.seq, event: row.event, data: row.data }));
}

/** The oldest seq still in the log (resume points before it get a `reset`), or null when empty. */
export async function oldestSeq(db: Queryable, factionId: number): Promise<number | null> {
  const r = await db.query<{ seq: number | null }>('select min(seq) as seq from faction_events where faction_id = $1', [factionId]);
  return r.rows[0]?.seq ?? null;
}

/**
 * Deletes events older than `maxAgeMs`, but always keeps each faction's newest `keepAtLeast`,
 * so a member who reconnects after a short outage can still be replayed.
 */
export async function pruneEvents(db: Queryable, maxAgeMs: number, keepAtLeast: number): Promise<number> {
  const r = await db.query(
    `delete from faction_events e
      using faction_event_counters c
      where e.faction_id = c.faction_id
        and e.created_at < now() - make_interval(secs => $1::double precision / 1000)
        and e.seq <= c.last_seq - $2`,
    [maxAgeMs, keepAtLeast],
  );
  return r.rowCount;
}
