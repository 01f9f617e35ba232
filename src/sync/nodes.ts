import type { Queryable } from '../db/database.js';
import { NODE_LOCK_SPACE } from './poller-lock.js';

/** What a node tells the others at each heartbeat. */
export interface NodeBeat {
  nodeId: string;
  /** The second half of the advisory lock it holds while alive (first half NODE_LOCK_SPACE). */
  lockId: number;
  address: string;
  /** Its address budget (TORN_ADDRESS_BUDGET_PER_MIN) and window. */
  budget: number;
  windowMs: number;
  /** Factions whose poller lock it holds. */
  factions: number;
}

/** An egress address with at least one live node, as the heartbeat reads it. */
export interface AddressState {
  address: string;
  nodes: number;
  factions: number;
  budget: number;
  /** Torn requests sent from it in its window. */
  used: number;
}

/** A node is live while it heartbeats (this many heartbeats missed and the others count it gone) and holds its lock. */
const MISSED_BEATS = 3;

/**
 * The registry of polling nodes (`torn_nodes`): each heartbeats its address and the factions it
 * polls, and reads every live address's use of its budget (`torn_address_budget`) to decide whether
 * to hand factions over (war-sync.ts). Rows of nodes gone for a day are deleted by housekeeping
 * (forgetGoneNodes).
 */
export async function heartbeat(db: Queryable, beat: NodeBeat, beatMs: number): Promise<AddressState[]> {
  await db.query(
    `insert into torn_nodes (node_id, lock_id, address, budget, window_ms, factions) values ($1, $2, $3, $4, $5, $6)
     on conflict (node_id) do update set lock_id = excluded.lock_id, address = excluded.address, budget = excluded.budget,
       window_ms = excluded.window_ms, factions = excluded.factions, seen_at = now()`,
    [beat.nodeId, beat.lockId, beat.address, beat.budget, beat.windowMs, beat.factions],
  );
  const r = await db.query<{ address: string; nodes: string; factions: string; budget: number; used: string }>(
    `select n.address, count(*) as nodes, sum(n.factions) as factions, min(n.budget) as budget,
            coalesce((select count(*) from torn_address_budget b cross join lateral unnest(b.uses) u
                       where b.address = n.address and b.kind = 'requests'
                         and u > (extract(epoch from now()) * 1000)::bigint - max(n.window_ms)), 0) as used
       from torn_nodes n
      where n.seen_at > now() - $1 * interval '1 millisecond'
        -- A node killed a moment ago is gone at once: PostgreSQL dropped its connection and its lock.
        -- (The node itself always counts: on PGlite, one process, its locks are not in pg_locks.)
        and (n.node_id = $2 or exists (select 1 from pg_locks l
                                        where l.locktype = 'advisory' and l.granted and l.objsubid = 2
                                          and l.classid::bigint = $3 and l.objid::bigint = n.lock_id))
      group by n.address
      order by n.address`,
    [MISSED_BEATS * beatMs, beat.nodeId, NODE_LOCK_SPACE],
  );
  return r.rows.map((row) => ({
    address: row.address,
    nodes: Number(row.nodes),
    factions: Number(row.factions),
    budget: Number(row.budget),
    used: Number(row.used),
  }));
}

/** Deletes the rows of nodes silent for a day (housekeeping); returns how many. */
export async function forgetGoneNodes(db: Queryable): Promise<number> {
  return (await db.query(`delete from torn_nodes where seen_at < now() - interval '1 day'`)).rowCount;
}

/** A node stopping says so, and the others stop counting it at once. */
export async function leave(db: Queryable, nodeId: string): Promise<void> {
  await db.query('delete from torn_nodes where node_id = $1', [nodeId]);
}
