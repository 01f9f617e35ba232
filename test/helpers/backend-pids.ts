import type { Queryable } from '../../src/db/database.js';

// Tests that kill a node's dedicated connections find them the way an operator would: in
// pg_stat_activity by the application name TornCat gives them, or by the lock they hold.

/** Backend pids of the dedicated connections of one kind ('LISTEN' or 'lock') on this database. */
export async function dedicatedPids(db: Queryable, kind: 'LISTEN' | 'lock'): Promise<number[]> {
  const r = await db.query<{ pid: number }>(
    `select pid from pg_stat_activity where application_name = $1 and datname = current_database() order by backend_start`,
    [`torncat ${kind}`],
  );
  return r.rows.map((row) => row.pid);
}

/** The backend holding a faction's poller lock (its node's lock connection), if any. */
export async function pollerLockHolderPid(db: Queryable, factionId: number): Promise<number | null> {
  const r = await db.query<{ pid: number }>(
    `select l.pid from pg_locks l join pg_database d on d.oid = l.database
      where l.locktype = 'advisory' and l.objid = $1::int::oid and l.objsubid = 2 and l.granted and d.datname = current_database()`,
    [factionId],
  );
  return r.rows[0]?.pid ?? null;
}
