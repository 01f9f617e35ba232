import type { Queryable } from '../db/database.js';
import { appendEvent } from '../realtime/event-log.js';
import type { Member } from '../auth/sessions.js';
import { lockPlayer } from '../auth/players.js';
import type { Call as CallView, CallState } from '../protocol/call.js';
import type { TargetCallData } from '../protocol/events.js';
import type { TornClock } from '../torn/index.js';
import { recordHospitalExit } from './hospital-exits.js';
import { CallError } from './call-error.js';
import { openWarId } from './war-target.js';

/** A call as members see it (the wire type): the snapshot's `calls` items and the `target_call` event (plus `warId`). */
export type { CallView, CallState };

interface CallRow {
  war_id: number;
  target_id: number;
  target_name: string;
  caller_id: number;
  caller_name: string;
  state: CallState;
  at: number;
  expires_at: number;
  waiting_for_exit: boolean;
}

// Every statement that returns calls selects these, joined to the names members read.
const VIEW = `c.war_id, c.target_id, t.name as target_name, c.caller_id, p.name as caller_name, c.state,
  extract(epoch from coalesce(c.ended_at, c.created_at))::bigint as at, extract(epoch from c.expires_at)::bigint as expires_at, c.waiting_for_exit`;
const JOINS = `join targets t on t.faction_id = c.faction_id and t.war_id = c.war_id and t.player_id = c.target_id
  join players p on p.id = c.caller_id`;

// The database stamps and expires calls on its own clock; members see the times on Torn's, shifted
// by the same whole seconds, so `expiresAt - at` stays the TTL.
function toView(r: CallRow, clock: TornClock): CallView {
  return {
    targetId: r.target_id,
    targetName: r.target_name,
    callerId: r.caller_id,
    callerName: r.caller_name,
    state: r.state,
    at: clock.fromDatabase(r.at),
    expiresAt: clock.fromDatabase(r.expires_at),
    waitingForExit: r.waiting_for_exit,
  };
}

async function logCall(tx: Queryable, clock: TornClock, factionId: number, row: CallRow): Promise<CallView> {
  const view = toView(row, clock);
  await appendEvent(tx, factionId, 'target_call', { warId: row.war_id, ...view } satisfies TargetCallData);
  return view;
}

async function openCallOn(tx: Queryable, factionId: number, warId: number, targetId: number): Promise<CallRow | undefined> {
  const r = await tx.query<CallRow>(
    `select ${VIEW} from calls c ${JOINS}
      where c.faction_id = $1 and c.war_id = $2 and c.target_id = $3 and c.state = 'called'`,
    [factionId, warId, targetId],
  );
  return r.rows[0];
}

/** Open calls of the faction's war, oldest first (the snapshot's `calls`). */
export async function openCalls(db: Queryable, clock: TornClock, factionId: number, warId: number): Promise<CallView[]> {
  const r = await db.query<CallRow>(
    `select ${VIEW} from calls c ${JOINS} where c.faction_id = $1 and c.war_id = $2 and c.state = 'called' order by c.created_at, c.id`,
    [factionId, warId],
  );
  return r.rows.map((row) => toView(row, clock));
}

/**
 * `member` calls `targetId`. Run it in its own transaction. Calling a target you already hold is
 * a no-op that returns your call; someone else's call fails with `already_called` naming them.
 * Among simultaneous callers the partial unique index lets exactly one insert win.
 *
 * A target in hospital is claimed for its exit: the call waits (`waiting_for_exit`), the expiry
 * sweep leaves it alone, and its TTL starts when the target leaves (startCallsWaitingForExit). Until
 * then its `expires_at` is an estimate, the hospital's `until` plus the TTL.
 */
export async function callTarget(
  tx: Queryable,
  clock: TornClock,
  member: Member,
  targetId: number,
  opts: { ttlMs: number; maxActive: number },
): Promise<CallView> {
  const warId = await openWarId(tx, member.factionId);
  const target = await tx.query<{ status_state: string; status_until: number | null }>(
    'select status_state, status_until from targets where faction_id = $1 and war_id = $2 and player_id = $3',
    [member.factionId, warId, targetId],
  );
  if (!target.rows[0]) throw new CallError('not_a_target', `Player ${targetId} is not a member of the enemy faction in this war`);
  const { status_state: state, status_until: until } = target.rows[0];
  // `until` is on Torn's clock, the database stamps on its own: the estimate is moved onto the database's.
  const waitUntil = state === 'Hospital' && until !== null && until > clock.now() ? until - clock.fromDatabase(0) : null;

  // One member's calls are decided one at a time, so two quick calls cannot both slip under the limit.
  await lockPlayer(tx, member.playerId);
  const held = await openCallOn(tx, member.factionId, warId, targetId);
  if (held) return heldBy(held, member, clock);
  const mine = await tx.query<{ n: number }>(
    `select count(*)::int as n from calls where faction_id = $1 and caller_id = $2 and state = 'called'`,
    [member.factionId, member.playerId],
  );
  if (mine.rows[0].n >= opts.maxActive) {
    throw new CallError('too_many_calls', `You already hold ${mine.rows[0].n} calls (the limit is ${opts.maxActive}): release one first`);
  }
  const inserted = await tx.query<{ id: number }>(
    `insert into calls (faction_id, war_id, target_id, caller_id, state, waiting_for_exit, ttl_ms, expires_at)
     values ($1, $2, $3, $4, 'called', $6::bigint is not null, $5::int,
             coalesce(to_timestamp($6::bigint), now()) + make_interval(secs => $5::int / 1000.0))
     on conflict (faction_id, war_id, target_id) where state = 'called' do nothing
     returning id`,
    [member.factionId, warId, targetId, member.playerId, opts.ttlMs, waitUntil],
  );
  const row = await openCallOn(tx, member.factionId, warId, targetId);
  if (!row) throw new Error(`call on ${targetId} vanished inside its own transaction`);
  // Lost the race: the winner committed between our check and our insert.
  if (!inserted.rows[0]) return heldBy(row, member, clock);
  return logCall(tx, clock, member.factionId, row);
}

function heldBy(row: CallRow, member: Member, clock: TornClock): CallView {
  if (row.caller_id === member.playerId) return toView(row, clock);
  throw new CallError(
    'already_called',
    `${row.target_name} [${row.target_id}] is already called by ${row.caller_name} [${row.caller_id}]`,
    {
      holder: { id: row.caller_id, name: row.caller_name },
    },
  );
}

/** `member` releases their call on `targetId`; releasing a target nobody holds is a harmless no-op (null). */
export async function releaseTarget(tx: Queryable, clock: TornClock, member: Member, targetId: number): Promise<CallView | null> {
  const warId = await openWarId(tx, member.factionId);
  const held = await openCallOn(tx, member.factionId, warId, targetId);
  if (!held) {
    const known = await tx.query('select 1 from targets where faction_id = $1 and war_id = $2 and player_id = $3', [
      member.factionId,
      warId,
      targetId,
    ]);
    if (known.rowCount === 0) throw new CallError('not_a_target', `Player ${targetId} is not a member of the enemy faction in this war`);
    return null;
  }
  if (held.caller_id !== member.playerId) {
    throw new CallError(
      'not_your_call',
      `${held.target_name} [${held.target_id}] is called by ${held.caller_name} [${held.caller_id}], not you`,
      {
        holder: { id: held.caller_id, name: held.caller_name },
      },
    );
  }
  const ended = await endCalls(
    tx,
    clock,
    `c.faction_id = $1 and c.war_id = $2 and c.target_id = $3`,
    [member.factionId, warId, targetId],
    'released',
  );
  return ended[0] ?? null;
}

/**
 * Ends the open calls matching `where` (over `calls c`) with `state`, logging one `target_call`
 * event each, and returns them.
 */
async function endCalls(
  tx: Queryable,
  clock: TornClock,
  where: string,
  params: unknown[],
  state: Exclude<CallState, 'called'>,
): Promise<CallView[]> {
  const n = params.length + 1;
  const r = await tx.query<CallRow & { faction_id: number }>(
    `with ended as (
       update calls c set state = $${n}, ended_at = now()
        where c.state = 'called' and ${where}
        returning c.*
     )
     select c.faction_id, ${VIEW} from ended c ${JOINS} order by c.faction_id, c.created_at, c.id`,
    [...params, state],
  );
  const views: CallView[] = [];
  for (const row of r.rows) views.push(await logCall(tx, clock, row.faction_id, row));
  return views;
}

/** All open calls of a war end (the war ended). */
export function endOpenCalls(
  tx: Queryable,
  clock: TornClock,
  factionId: number,
  warId: number,
  state: 'released' | 'expired',
): Promise<CallView[]> {
  return endCalls(tx, clock, 'c.faction_id = $1 and c.war_id = $2', [factionId, warId], state);
}

/** The target went to hospital while called: the call did its job. */
export function endCallAsHit(tx: Queryable, clock: TornClock, factionId: number, warId: number, targetId: number): Promise<CallView[]> {
  return endCalls(tx, clock, 'c.faction_id = $1 and c.war_id = $2 and c.target_id = $3', [factionId, warId, targetId], 'hit');
}

/** Calls past their TTL, across all factions, end as `expired`; a call waiting for its target's exit has no TTL yet. */
export function expireCalls(tx: Queryable, clock: TornClock): Promise<CallView[]> {
  return endCalls(tx, clock, 'c.expires_at <= now() and not c.waiting_for_exit', [], 'expired');
}

/**
 * The target left hospital: the calls waiting for that exit start their TTL now (one `target_call`
 * event each, still `called`, with the real `expiresAt`), and the exit is kept for the war report.
 * Called by the target sync on every hospital exit it sees, early or not. Returns the events logged.
 */
export async function startCallsWaitingForExit(
  tx: Queryable,
  clock: TornClock,
  factionId: number,
  warId: number,
  targetId: number,
): Promise<number> {
  await recordHospitalExit(tx, factionId, warId, targetId);
  const r = await tx.query<CallRow>(
    `with started as (
       update calls c set waiting_for_exit = false,
              expires_at = now() + make_interval(secs => coalesce(c.ttl_ms, 0)::double precision / 1000)
        where c.faction_id = $1 and c.war_id = $2 and c.target_id = $3 and c.state = 'called' and c.waiting_for_exit
        returning c.*
     )
     select ${VIEW} from started c ${JOINS}`,
    [factionId, warId, targetId],
  );
  for (const row of r.rows) await logCall(tx, clock, factionId, row);
  return r.rows.length;
}

/**
 * Housekeeping: calls that ended more than `retentionDays` ago go. Open calls never do, whatever
 * their age: they end first (expiry), and only then start to age.
 */
export async function deleteEndedCalls(db: Queryable, retentionDays: number): Promise<number> {
  const r = await db.query(`delete from calls where state <> 'called' and ended_at < now() - make_interval(days => $1::int)`, [
    retentionDays,
  ]);
  return r.rowCount;
}
