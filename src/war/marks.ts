import type { Queryable } from '../db/database.js';
import type { Member } from '../auth/sessions.js';
import { positionOf } from '../auth/players.js';
import { appendEvent } from '../realtime/event-log.js';
import type { MarkKind, TargetMark } from '../protocol/intel.js';
import type { TargetMarkData } from '../protocol/events.js';
import type { TornClock } from '../torn/index.js';
import { CallError } from './call-error.js';
import { warTarget } from './war-target.js';
import { queueDiscord } from '../discord/outbox.js';
import { priorityMarkMessage } from '../discord/messages.js';
import { targetLinks } from './links.js';

interface MarkRow {
  target_id: number;
  mark: MarkKind;
  note: string | null;
  set_by: number;
  by_name: string;
  set_at: number;
}

const VIEW = `m.target_id, m.mark, m.note, m.set_by, p.name as by_name, extract(epoch from m.set_at)::bigint as set_at`;

function toView(r: MarkRow, clock: TornClock): TargetMark {
  return { targetId: r.target_id, mark: r.mark, note: r.note, by: { id: r.set_by, name: r.by_name }, at: clock.fromDatabase(r.set_at) };
}

const isAllowed = (position: string, allowed: readonly string[]) => allowed.some((p) => p.toLowerCase() === position.toLowerCase());

/** Whether the member may set and clear marks now (the snapshot's `me.canMark`). */
export async function mayMark(tx: Queryable, playerId: number, allowed: readonly string[]): Promise<boolean> {
  const position = await positionOf(tx, playerId);
  return position !== null && isAllowed(position, allowed);
}

/**
 * Marks are for the faction positions of `allowed` (MARK_POSITIONS), compared without regard to
 * case. The position is the one Torn's member list last gave; before the first read there is none.
 */
async function checkMayMark(tx: Queryable, member: Member, allowed: readonly string[]): Promise<void> {
  const position = await positionOf(tx, member.playerId);
  const list = allowed.join(', ');
  if (position === null) {
    throw new CallError(
      'not_allowed',
      `Only ${list} may mark targets, and TornCat has not read your faction position from Torn yet: try again in a minute`,
    );
  }
  if (!isAllowed(position, allowed)) {
    throw new CallError('not_allowed', `Only ${list} may mark targets; your faction position is ${position}`);
  }
}

async function readMark(tx: Queryable, clock: TornClock, factionId: number, warId: number, targetId: number): Promise<TargetMark | null> {
  const r = await tx.query<MarkRow>(
    `select ${VIEW} from target_marks m join players p on p.id = m.set_by
      where m.faction_id = $1 and m.war_id = $2 and m.target_id = $3`,
    [factionId, warId, targetId],
  );
  return r.rows[0] ? toView(r.rows[0], clock) : null;
}

/**
 * A leader marks `targetId` (replacing its mark) and the faction gets a `target_mark` event.
 * Setting the mark it already has (same kind and note) changes nothing and logs nothing.
 */
export async function setMark(
  tx: Queryable,
  clock: TornClock,
  member: Member,
  targetId: number,
  mark: { mark: MarkKind; note: string | null },
  allowed: readonly string[],
): Promise<TargetMark> {
  await checkMayMark(tx, member, allowed);
  const { warId, name } = await warTarget(tx, member.factionId, targetId);
  const old = await readMark(tx, clock, member.factionId, warId, targetId);
  if (old && old.mark === mark.mark && old.note === mark.note) return old;
  await tx.query(
    `insert into target_marks (faction_id, war_id, target_id, mark, note, set_by) values ($1, $2, $3, $4, $5, $6)
     on conflict (faction_id, war_id, target_id) do update
       set mark = excluded.mark, note = excluded.note, set_by = excluded.set_by, set_at = now()`,
    [member.factionId, warId, targetId, mark.mark, mark.note, member.playerId],
  );
  const view = (await readMark(tx, clock, member.factionId, warId, targetId))!;
  await appendEvent(tx, member.factionId, 'target_mark', {
    warId,
    targetId,
    mark: view,
    by: view.by,
  } satisfies TargetMarkData);
  if (view.mark === 'priority') {
    await queueDiscord(
      tx,
      member.factionId,
      `mark:${warId}:${targetId}:${view.at}`,
      priorityMarkMessage({ id: targetId, name }, view.by.name, view.note, targetLinks(targetId).attack),
    );
  }
  return view;
}

/** A leader clears `targetId`'s mark (a `target_mark` event with `mark: null`); clearing no mark is a no-op. */
export async function clearMark(tx: Queryable, member: Member, targetId: number, allowed: readonly string[]): Promise<null> {
  await checkMayMark(tx, member, allowed);
  const { warId } = await warTarget(tx, member.factionId, targetId);
  const r = await tx.query('delete from target_marks where faction_id = $1 and war_id = $2 and target_id = $3', [
    member.factionId,
    warId,
    targetId,
  ]);
  if (r.rowCount > 0) {
    await appendEvent(tx, member.factionId, 'target_mark', {
      warId,
      targetId,
      mark: null,
      by: { id: member.playerId, name: member.playerName },
    } satisfies TargetMarkData);
  }
  return null;
}

/** The war's marks, by target (the snapshot's `marks`). */
export async function listMarks(db: Queryable, clock: TornClock, factionId: number, warId: number): Promise<TargetMark[]> {
  const r = await db.query<MarkRow>(
    `select ${VIEW} from target_marks m join players p on p.id = m.set_by
      where m.faction_id = $1 and m.war_id = $2 order by m.target_id`,
    [factionId, warId],
  );
  return r.rows.map((row) => toView(row, clock));
}
