import { z } from 'zod';
import type { Database } from '../db/database.js';
import { AppError, toError } from '../errors.js';
import type { Member } from '../auth/sessions.js';
import { headSeq } from '../realtime/event-log.js';
import { CallError, callTarget, releaseTarget, type CallView } from './calls.js';

/** Most operations one POST /api/calls may carry. */
const MAX_OPS = 50;

/** A Torn player id as every transport accepts it: past PostgreSQL's integer is the client's mistake. */
export const targetIdSchema = z
  .number({ error: 'targetId must be a Torn player id (a positive integer)' })
  .int('targetId must be a Torn player id (a positive integer)')
  .positive('targetId must be a Torn player id (a positive integer)')
  .max(2_147_483_647, 'targetId is too large');

const callOpSchema = z.object({
  op: z.enum(['call', 'release'], { error: 'op must be "call" or "release"' }),
  targetId: targetIdSchema,
});
export type CallOp = z.infer<typeof callOpSchema>;

export type CallOpResult =
  { ok: true; call: CallView | null } | { ok: false; error: { code: string; message: string; holder?: { id: number; name: string } } };

/**
 * Checks a whole batch before anything runs, so a malformed request writes nothing.
 * Messages name the operation and the field.
 */
export function parseOps(body: unknown): CallOp[] {
  if (typeof body !== 'object' || body === null || !Array.isArray((body as { ops?: unknown }).ops)) {
    throw new AppError('invalid_request', 'The body must be {"ops":[{"op":"call"|"release","targetId":<player id>}, …]}');
  }
  const ops = (body as { ops: unknown[] }).ops;
  if (ops.length === 0) throw new AppError('invalid_request', 'ops must hold at least one operation');
  if (ops.length > MAX_OPS) throw new AppError('too_many_ops', `At most ${MAX_OPS} operations per request, got ${ops.length}`);
  return ops.map((op, i) => parseOp(op, `ops[${i}]`));
}

/** One operation, checked; `where` names it in the message (`ops[3].targetId: …`). */
function parseOp(op: unknown, where: string): CallOp {
  const r = callOpSchema.safeParse(op);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  throw new AppError('invalid_request', `${where}${issue.path.length ? '.' + issue.path.join('.') : ''}: ${issue.message}`);
}

export interface CallOpsOptions {
  db: Database;
  ttlMs: number;
  maxActive: number;
}

/** Runs one operation in its own transaction. A refusal is a result, not an exception. */
export async function runCallOp(o: CallOpsOptions, member: Member, unchecked: CallOp): Promise<CallOpResult> {
  // Whatever transport built the op, it gets the batch's checks: a targetId past PostgreSQL's
  // integer (2^31-1) is the client's mistake (400 invalid_request), not a database error (500).
  const op = parseOp(unchecked, 'op');
  try {
    const call = await o.db.transaction((tx) =>
      op.op === 'call'
        ? callTarget(tx, member, op.targetId, { ttlMs: o.ttlMs, maxActive: o.maxActive })
        : releaseTarget(tx, member, op.targetId),
    );
    return { ok: true, call };
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
