import type { Queryable } from '../db/database.js';
import { appendEvent } from '../realtime/event-log.js';
import type { Member as TornMember, TornClock } from '../torn/index.js';
import { endCallAsHit, startCallsWaitingForExit } from './calls.js';
import type { TargetStatusData } from '../protocol/events.js';
import type { Target as TargetView } from '../protocol/target.js';
import { targetLinks } from './links.js';
import { readWhereabouts, sameFlight, travelOf, type Whereabouts } from './travel.js';
import { queueDiscord } from '../discord/outbox.js';
import { priorityEarlyExitMessage } from '../discord/messages.js';

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
  is_revivable: boolean | null;
  has_early_discharge: boolean | null;
  travel_seen_at: number | null;
  early_exit_at: number | null;
  hospital_country: string | null;
  plane_image_type: string | null;
}

const COLUMNS = `player_id, name, level, status_state, status_description, status_details, status_until, last_action_status,
  last_action_at, is_revivable, has_early_discharge, travel_seen_at, early_exit_at, hospital_country, plane_image_type`;

function toView(r: TargetRow): TargetView {
  const where = readWhereabouts(r.status_state, r.status_description);
  return {
    id: r.player_id,
    name: r.name,
    level: r.level,
    status: { state: r.status_state, description: r.status_description, details: r.status_details, until: r.status_until },
    lastAction: { status: r.last_action_status, timestamp: r.last_action_at },
    isRevivable: r.is_revivable,
    hasEarlyDischarge: r.has_early_discharge,
    travel: travelOf(where, r.travel_seen_at, r.plane_image_type),
    hospitalCountry: r.hospital_country,
    earlyExitAt: r.early_exit_at,
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

/**
 * How far before its `until` a hospital exit must be seen to count as early, in seconds. A stay that
 * runs out is never seen over before `until`, however long the poll interval or Torn's cache (they
 * make exits look later, never earlier); only our reading of Torn's clock can: it is whole seconds
 * (up to 1 s) and its offset is known to about a second. 2 s covers both, and a med-out that close
 * to `until` changes nothing for anyone.
 */
const EARLY_EXIT_TOLERANCE_S = 2;

function statusChanged(old: TargetRow, m: TornMember): boolean {
  const until = m.status.until || null;
  if (old.status_state !== m.status.state || old.status_until !== until || old.status_details !== (m.status.details ?? '')) return true;
  if (old.last_action_status !== m.lastAction.status) return true;
  if (old.is_revivable !== m.isRevivable || old.has_early_discharge !== m.hasEarlyDischarge) return true;
  if (old.plane_image_type !== m.status.plane) return true;
  return !COUNTDOWN_STATES.has(m.status.state) && old.status_description !== m.status.description;
}

/** What one poll learned about one target beyond its Torn status. */
interface Reading {
  where: Whereabouts | null;
  travelSeenAt: number | null;
  /** Left a hospital stay (seen over, or replaced by a later one): the stay left, for `previous`. */
  exit: { until: number | null; early: boolean; missed: boolean } | null;
}

function read(old: TargetRow | undefined, m: TornMember, tornNow: number): Reading {
  const where = readWhereabouts(m.status.state, m.status.description);
  const oldWhere = old ? readWhereabouts(old.status_state, old.status_description) : null;
  let travelSeenAt: number | null = null;
  if (where && where.direction !== 'abroad') {
    // The same flight keeps the time it was first seen; a flight seen starting is timed from now;
    // a target first seen already in the air has no departure time (see travelOf).
    travelSeenAt = sameFlight(where, oldWhere) ? (old?.travel_seen_at ?? null) : old ? tornNow : null;
  }
  let exit: Reading['exit'] = null;
  if (old?.status_state === 'Hospital') {
    const oldUntil = old.status_until;
    const newUntil = m.status.until || null;
    if (m.status.state !== 'Hospital') {
      exit = { until: oldUntil, early: oldUntil !== null && tornNow < oldUntil - EARLY_EXIT_TOLERANCE_S, missed: false };
    } else if (oldUntil !== null && newUntil !== null && newUntil > oldUntil && oldUntil <= tornNow) {
      // The stay we knew was over and a new one began between two polls: an exit and a new hit.
      exit = { until: oldUntil, early: false, missed: true };
    }
  }
  return { where, travelSeenAt, exit };
}

function statusEvent(warId: number, m: TornMember, r: Reading, old: TargetRow | undefined): TargetStatusData {
  const data: TargetStatusData = {
    warId,
    targetId: m.id,
    state: m.status.state,
    until: m.status.until || null,
    description: m.status.description,
    details: m.status.details ?? '',
    lastAction: { status: m.lastAction.status, timestamp: m.lastAction.timestamp },
    isRevivable: m.isRevivable,
    hasEarlyDischarge: m.hasEarlyDischarge,
    travel: travelOf(r.where, r.travelSeenAt, m.status.plane),
    hospitalCountry: r.where?.inHospital ? r.where.country : null,
  };
  if (old && (old.status_state !== m.status.state || r.exit)) data.previous = { state: old.status_state, until: old.status_until };
  if (r.exit) data.early = r.exit.early;
  return data;
}

/**
 * Writes the enemy members Torn just reported as the war's targets, in one transaction: new
 * targets and status changes are written and each status change is one `target_status` event;
 * unchanged targets are left alone (only their last-action time is refreshed, silently). A target
 * that goes to hospital ends the open call on it as `hit`; one that leaves hospital starts the calls
 * waiting for its exit, and is marked early when it left before its `until` on Torn's clock
 * (`clock`). Returns how many events it logged.
 */
export async function applyEnemyMembers(
  tx: Queryable,
  clock: TornClock,
  factionId: number,
  warId: number,
  members: readonly TornMember[],
): Promise<number> {
  const tornNow = clock.now();
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
    const r = changed ? read(old, m, tornNow) : null;
    // A change recomputes what is derived from the status; a rename or a last-action time keeps it.
    const travelSeenAt = r ? r.travelSeenAt : (old?.travel_seen_at ?? null);
    const hospitalCountry = r ? (r.where?.inHospital ? r.where.country : null) : (old?.hospital_country ?? null);
    const earlyExitAt = r?.exit?.early ? tornNow : (old?.early_exit_at ?? null);
    await tx.query(
      `insert into targets (faction_id, war_id, player_id, name, level, status_state, status_description, status_details, status_until,
                            last_action_status, last_action_at, is_revivable, has_early_discharge, travel_seen_at, early_exit_at,
                            hospital_country, plane_image_type)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
       on conflict (faction_id, war_id, player_id) do update
         set name = excluded.name, level = excluded.level, status_state = excluded.status_state,
             status_description = excluded.status_description, status_details = excluded.status_details,
             status_until = excluded.status_until, last_action_status = excluded.last_action_status,
             last_action_at = excluded.last_action_at, is_revivable = excluded.is_revivable,
             has_early_discharge = excluded.has_early_discharge, travel_seen_at = excluded.travel_seen_at,
             early_exit_at = excluded.early_exit_at, hospital_country = excluded.hospital_country,
             plane_image_type = excluded.plane_image_type, updated_at = now()`,
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
        m.isRevivable,
        m.hasEarlyDischarge,
        travelSeenAt,
        earlyExitAt,
        hospitalCountry,
        m.status.plane,
      ],
    );
    if (!r) continue;
    await appendEvent(tx, factionId, 'target_status', { ...statusEvent(warId, m, r, old) });
    events++;
    if (r.exit) events += await startCallsWaitingForExit(tx, clock, factionId, warId, m.id);
    if (r.exit?.early) await tellPriorityExit(tx, factionId, warId, m, tornNow);
    if (m.status.state === 'Hospital' && (old?.status_state !== 'Hospital' || r.exit?.missed)) {
      events += (await endCallAsHit(tx, clock, factionId, warId, m.id)).length;
    }
  }
  return events;
}

/** A leader's priority target that left hospital early is worth a Discord message (when Discord is on). */
async function tellPriorityExit(tx: Queryable, factionId: number, warId: number, m: TornMember, tornNow: number): Promise<void> {
  const mark = await tx.query('select 1 from target_marks where faction_id = $1 and war_id = $2 and target_id = $3 and mark = $4', [
    factionId,
    warId,
    m.id,
    'priority',
  ]);
  if (mark.rowCount === 0) return;
  await queueDiscord(tx, factionId, `early:${warId}:${m.id}:${tornNow}`, priorityEarlyExitMessage(m, targetLinks(m.id).attack));
}
