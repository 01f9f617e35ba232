import type { Queryable } from '../db/database.js';
import { appendEvent } from '../realtime/event-log.js';
import type { Member as TornMember } from '../torn/index.js';
import { endCallAsHit } from './calls.js';
import type { TargetStatusData } from '../protocol/events.js';
import type { Target as TargetView } from '../protocol/target.js';
import { targetLinks } from './links.js';

export type { TargetView };

interface TargetRow {
  player_id: number;
  name: string;
  level: number;
  status_state: string;
  status_description: string;
  status_details: string;
  status_until: number | null;
  last_action_status: string | null;
  last_action_at: number | null;
}

const COLUMNS =
  'player_id, name, level, status_state, status_description, status_details, status_until, last_action_status, last_action_at';

function toView(r: TargetRow): TargetView {
  return {
    id: r.player_id,
    name: r.name,
    level: r.level,
    status: { state: r.status_state, description: r.status_description, details: r.status_details, until: r.status_until },
    lastAction: { status: r.last_action_status, timestamp: r.last_action_at },
    links: targetLinks(r.player_id),
  };
}

export async function listTargets(db: Queryable, factionId: number, warId: number): Promise<TargetView[]> {
  const r = await db.query<TargetRow>(`select ${COLUMNS} from targets where faction_id = $1 and war_id = $2 order by player_id`, [
    factionId,
    warId,
  ]);
  return r.rows.map(toView);
}

// Torn rewrites a hospital or jail description every minute ("for 12 mins" → "for 11 mins");
// that countdown is the clients' job, so those descriptions alone are not a change.
const COUNTDOWN_STATES = new Set(['Hospital', 'Jail']);

function statusChanged(old: TargetRow, m: TornMember): boolean {
  const until = m.status.until || null;
  if (old.status_state !== m.status.state || old.status_until !== until || old.status_details !== (m.status.details ?? '')) return true;
  if (old.last_action_status !== m.lastAction.status) return true;
  return !COUNTDOWN_STATES.has(m.status.state) && old.status_description !== m.status.description;
}

function statusEvent(warId: number, m: TornMember): Record<string, unknown> {
  return {
    warId,
    targetId: m.id,
    state: m.status.state,
    until: m.status.until || null,
    description: m.status.description,
    details: m.status.details ?? '',
    lastAction: { status: m.lastAction.status, timestamp: m.lastAction.timestamp },
  } satisfies TargetStatusData;
}

/**
 * Writes the enemy members Torn just reported as the war's targets, in one transaction: new
 * targets and status changes are written and each status change is one `target_status` event;
 * unchanged targets are left alone (only their last-action time is refreshed, silently). A target
 * that goes to hospital ends the open call on it as `hit`. Returns how many events it logged.
 */
export async function applyEnemyMembers(tx: Queryable, factionId: number, warId: number, members: readonly TornMember[]): Promise<number> {
  const existing = await tx.query<TargetRow>(`select ${COLUMNS} from targets where faction_id = $1 and war_id = $2 for update`, [
    factionId,
    warId,
  ]);
  const byId = new Map(existing.rows.map((r) => [r.player_id, r]));
  let events = 0;
  for (const m of members) {
    const old = byId.get(m.id);
    const changed = !old || statusChanged(old, m);
    const renamed = old && (old.name !== m.name || old.level !== m.level);
    const touched = old && old.last_action_at !== m.lastAction.timestamp;
    if (!changed && !renamed && !touched) continue;
    await tx.query(
      `insert into targets (faction_id, war_id, player_id, name, level, status_state, status_description, status_details, status_until, last_action_status, last_action_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       on conflict (faction_id, war_id, player_id) do update
         set name = excluded.name, level = excluded.level, status_state = excluded.status_state,
             status_description = excluded.status_description, status_details = excluded.status_details,
             status_until = excluded.status_until, last_action_status = excluded.last_action_status,
             last_action_at = excluded.last_action_at, updated_at = now()`,
      [
        factionId,
        warId,
        m.id,
        m.name,
        m.level,
        m.status.state,
        m.status.description,
        m.status.details ?? '',
        m.status.until || null,
        m.lastAction.status,
        m.lastAction.timestamp,
      ],
    );
    if (!changed) continue;
    await appendEvent(tx, factionId, 'target_status', statusEvent(warId, m));
    events++;
    if (m.status.state === 'Hospital' && old?.status_state !== 'Hospital') {
      events += (await endCallAsHit(tx, factionId, warId, m.id)).length;
    }
  }
  return events;
}
