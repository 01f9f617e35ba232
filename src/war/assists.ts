import type { Queryable } from '../db/database.js';
import type { Member } from '../auth/sessions.js';
import { appendEvent } from '../realtime/event-log.js';
import type { Assist } from '../protocol/intel.js';
import type { AssistData } from '../protocol/events.js';
import type { TornClock } from '../torn/index.js';
import { warTarget } from './war-target.js';

interface AssistRow {
  target_id: number;
  target_name: string;
  requester_id: number;
  requester_name: string;
  at: number;
  expires_at: number;
}

const VIEW = `a.target_id, t.name as target_name, a.requester_id, p.name as requester_name,
  extract(epoch from a.created_at)::bigint as at, extract(epoch from a.expires_at)::bigint as expires_at`;
const JOINS = `join targets t on t.faction_id = a.faction_id and t.war_id = a.war_id and t.player_id = a.target_id
  join players p on p.id = a.requester_id`;

function toView(r: AssistRow, clock: TornClock): Assist {
  return {
    targetId: r.target_id,
    targetName: r.target_name,
    requester: { id: r.requester_id, name: r.requester_name },
    at: clock.fromDatabase(r.at),
    expiresAt: clock.fromDatabase(r.expires_at),
  };
}

/**
 * `member` asks for help on `targetId` for `ttlMs` (ASSIST_TTL_MS); asking again renews the request
 * from now. Each is one `assist` event: members drop it at its `expiresAt`, no event ends it.
 */
export async function raiseAssist(tx: Queryable, clock: TornClock, member: Member, targetId: number, ttlMs: number): Promise<Assist> {
  const { warId } = await warTarget(tx, member.factionId, targetId);
  const r = await tx.query<AssistRow>(
    `with raised as (
       insert into assists (faction_id, war_id, target_id, requester_id, expires_at)
       values ($1, $2, $3, $4, now() + make_interval(secs => $5::double precision / 1000))
       on conflict (faction_id, war_id, target_id, requester_id) do update
         set created_at = now(), expires_at = excluded.expires_at
       returning *
     )
     select ${VIEW} from raised a ${JOINS}`,
    [member.factionId, warId, targetId, member.playerId, ttlMs],
  );
  const view = toView(r.rows[0], clock);
  await appendEvent(tx, member.factionId, 'assist', { warId, ...view } satisfies AssistData);
  return view;
}

/** The war's assist requests that are still open, oldest first (the snapshot's `assists`). */
export async function openAssists(db: Queryable, clock: TornClock, factionId: number, warId: number): Promise<Assist[]> {
  const r = await db.query<AssistRow>(
    `select ${VIEW} from assists a ${JOINS}
      where a.faction_id = $1 and a.war_id = $2 and a.expires_at > now() order by a.created_at, a.id`,
    [factionId, warId],
  );
  return r.rows.map((row) => toView(row, clock));
}

/** Housekeeping: requests past their expiry go (they left members' boards at `expiresAt` already). */
export async function deleteExpiredAssists(db: Queryable): Promise<number> {
  const r = await db.query('delete from assists where expires_at <= now()');
  return r.rowCount;
}
