import type { Queryable } from '../db/database.js';
import { appendEvent } from '../realtime/event-log.js';
import { syncStatus, type SyncProblemCode, type SyncStatus } from '../protocol/sync-status.js';

// The faction's Torn read status (factions.first_read_at, torn_read_problem; migration 015).

export async function readSyncStatus(db: Queryable, factionId: number): Promise<SyncStatus> {
  const r = await db.query<{ done: boolean; problem: SyncProblemCode | null }>(
    'select first_read_at is not null as done, torn_read_problem as problem from factions where id = $1',
    [factionId],
  );
  const row = r.rows[0];
  return syncStatus(row?.done ?? false, row?.problem ?? null);
}

/**
 * Records how a read of Torn went (`problem` null: it worked); a `sync_status` event only when
 * that changes what members see.
 */
export async function recordTornRead(tx: Queryable, factionId: number, problem: SyncProblemCode | null): Promise<void> {
  const r = await tx.query<{ done: boolean }>(
    problem === null
      ? `update factions set first_read_at = coalesce(first_read_at, now()), torn_read_problem = null
          where id = $1 and (first_read_at is null or torn_read_problem is not null)
          returning true as done`
      : `update factions set torn_read_problem = $2
          where id = $1 and torn_read_problem is distinct from $2
          returning first_read_at is not null as done`,
    problem === null ? [factionId] : [factionId, problem],
  );
  if (r.rows.length) await appendEvent(tx, factionId, 'sync_status', { ...syncStatus(r.rows[0].done, problem) });
}
