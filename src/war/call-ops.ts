import { z } from 'zod';
import type { Database, Queryable } from '../db/database.js';
import type { TornClock } from '../torn/index.js';
import { AppError, toError } from '../errors.js';
import type { Member } from '../auth/sessions.js';
import { headSeq } from '../realtime/event-log.js';
import { CALL_OP_NAMES, type CallOp, type CallOpName, type CallOpResult } from '../protocol/call.js';
import { callTarget, releaseTarget } from './calls.js';
import { clearMark, setMark } from './marks.js';
import { raiseAssist } from './assists.js';
import { setWatch } from './watches.js';
import { CallError } from './call-error.js';

/** Most operations one POST /api/calls may carry. */
const MAX_OPS = 50;
/** Longest mark note, in characters (the table's check says the same). */
const MAX_NOTE_CHARS = 140;

/** A Torn player id as every transport accepts it: past PostgreSQL's integer is the client's mistake. */
const targetIdSchema = z
  .number({ error: 'targetId must be a Torn player id (a positive integer)' })
  .int('targetId must be a Torn player id (a positive integer)')
  .positive('targetId must be a Torn player id (a positive integer)')
  .max(2_147_483_647, 'targetId is too large');

const targetOp = z.object({ targetId: targetIdSchema });

// Trimmed; blank is no note. Counted in characters as PostgreSQL counts them, not UTF-16 units.
const noteSchema = z
  .string({ error: 'note must be a string' })
  .transform((s) => s.trim())
  .refine((s) => !/\p{Cc}/u.test(s), 'note must be one line of text (no control characters)')
  .refine((s) => [...s].length <= MAX_NOTE_CHARS, `note must be at most ${MAX_NOTE_CHARS} characters`)
  .transform((s) => (s === '' ? null : s));

const markOp = z
  .object({
    targetId: targetIdSchema,
    mark: z.enum(['priority', 'avoid', 'note'], { error: 'mark must be "priority", "avoid" or "note"' }),
    note: noteSchema.nullish(),
  })
  .refine((o) => o.mark !== 'note' || (o.note ?? null) !== null, { message: 'note is required with mark "note"', path: ['note'] });

const OP_LIST = CALL_OP_NAMES.map((n) => `"${n}"`).join(', ');

function isOpName(op: unknown): op is CallOpName {
  return typeof op === 'string' && (CALL_OP_NAMES as readonly string[]).includes(op);
}

/**
 * Checks a whole batch before anything runs, so a malformed request writes nothing.
 * Messages name the operation and the field.
 */
export function parseOps(body: unknown): CallOp[] {
  if (typeof body !== 'object' || body === null || !Array.isArray((body as { ops?: unknown }).ops)) {
    throw new AppError('invalid_request', `The body must be {"ops":[{"op":<one of ${OP_LIST}>,"targetId":<player id>}, …]}`);
  }
  const ops = (body as { ops: unknown[] }).ops;
  if (ops.length === 0) throw new AppError('invalid_request', 'ops must hold at least one operation');
  if (ops.length > MAX_OPS) throw new AppError('too_many_ops', `At most ${MAX_OPS} operations per request, got ${ops.length}`);
  return ops.map((op, i) => parseOp(op, `ops[${i}]`));
}

/** One operation, checked; `where` names it in the message (`ops[3].targetId: …`). */
export function parseOp(op: unknown, where: string): CallOp {
  if (typeof op !== 'object' || op === null || Array.isArray(op)) {
    throw new AppError('invalid_request', `${where}: an operation is an object {"op":…,"targetId":…}`);
  }
  const name = (op as { op?: unknown }).op;
  if (!isOpName(name)) throw new AppError('invalid_request', `${where}.op: op must be one of ${OP_LIST}`);
  const r = name === 'mark' ? markOp.safeParse(op) : targetOp.safeParse(op);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new AppError('invalid_request', `${where}${issue.path.length ? '.' + issue.path.join('.') : ''}: ${issue.message}`);
  }
  if (name !== 'mark') return { op: name, targetId: r.data.targetId };
  const m = r.data as z.infer<typeof markOp>;
  return { op: 'mark', targetId: m.targetId, mark: m.mark, ...(m.note ? { note: m.note } : {}) };
}

export interface CallOpsOptions {
  db: Database;
  /** Torn's clock as this node knows it: the times of calls, marks and assists are shown on it. */
  clock: TornClock;
  ttlMs: number;
  maxActive: number;
  /** Faction positions that may mark targets (MARK_POSITIONS). */
  markPositions: readonly string[];
  /** How long an assist request stays open (ASSIST_TTL_MS). */
  assistTtlMs: number;
}

type Done = Extract<CallOpResult, { ok: true }>;

function run(o: CallOpsOptions, tx: Queryable, member: Member, op: CallOp): Promise<Done> {
  switch (op.op) {
    case 'call':
      return callTarget(tx, o.clock, member, op.targetId, { ttlMs: o.ttlMs, maxActive: o.maxActive }).then((call) => ({ ok: true, call }));
    case 'release':
      return releaseTarget(tx, o.clock, member, op.targetId).then((call) => ({ ok: true, call }));
    case 'watch':
    case 'unwatch':
      return setWatch(tx, member, op.targetId, op.op === 'watch').then(() => ({ ok: true, call: null }));
    case 'mark':
      return setMark(tx, o.clock, member, op.targetId, { mark: op.mark, note: op.note ?? null }, o.markPositions).then((mark) => ({
        ok: true,
        call: null,
        mark,
      }));
    case 'unmark':
      return clearMark(tx, member, op.targetId, o.markPositions).then((mark) => ({ ok: true, call: null, mark }));
    case 'assist':
      return raiseAssist(tx, o.clock, member, op.targetId, o.assistTtlMs).then((assist) => ({ ok: true, call: null, assist }));
  }
}

/**
 * Runs one operation in its own transaction. A refusal is a result, not an exception. `where`
 * names the operation in a message about its shape (`ops[2]`, or a WebSocket command's name).
 */
async function runCallOp(o: CallOpsOptions, member: Member, unchecked: unknown, where = 'op'): Promise<CallOpResult> {
  // Whatever transport built the op, it gets the batch's checks: a targetId past PostgreSQL's
  // integer (2^31-1) is the client's mistake (400 invalid_request), not a database error (500).
  const op = parseOp(unchecked, where);
  try {
    return await o.db.transaction((tx) => run(o, tx, member, op));
  } catch (e) {
    if (e instanceof CallError) {
      const holder = e.details?.holder as { id: number; name: string } | undefined;
      return { ok: false, error: { code: e.code, message: e.message, ...(holder ? { holder } : {}) } };
    }
    throw toError(e);
  }
}

/** Runs the operations in request order, each in its own transaction; `seq` is the faction's position after the last. */
export async function runCallOps(
  o: CallOpsOptions,
  member: Member,
  ops: readonly CallOp[],
): Promise<{ results: CallOpResult[]; seq: number }> {
  const results: CallOpResult[] = [];
  for (const op of ops) results.push(await runCallOp(o, member, op));
  return { results, seq: await headSeq(o.db, member.factionId) };
}
