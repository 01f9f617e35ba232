import type { Member } from '../auth/sessions.js';
import type { CallOp, CallOpResult } from '../protocol/call.js';
import { runCallOps } from '../war/call-ops.js';
import type { AppContext } from './app-context.js';

// Members' commands, the same over HTTP (POST /api/calls) and WebSocket: the member's allowance,
// then each operation in its own transaction, then the faction's position after the last.

/** Spends `count` of the member's CALL_OPS_LIMIT_PER_MIN, or throws `rate_limited` (spending nothing). */
export async function spendAllowance(ctx: AppContext, member: Member, count = 1): Promise<void> {
  await ctx.limits.callOps.take(String(member.playerId), count);
}

/** Runs checked operations in order, each in its own transaction; `seq` is the faction's position after the last. */
export function runMemberOps(ctx: AppContext, member: Member, ops: readonly CallOp[]): Promise<{ results: CallOpResult[]; seq: number }> {
  const { config } = ctx;
  return runCallOps(
    {
      db: ctx.db,
      clock: ctx.clock,
      ttlMs: config.callTtlMs,
      maxActive: config.maxActiveCallsPerMember,
      markPositions: config.markPositions,
      assistTtlMs: config.assistTtlMs,
    },
    member,
    ops,
  );
}
