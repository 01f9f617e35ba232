import type { CallOpsOptions } from '../war/call-ops.js';
import type { AppContext } from './app-context.js';

/** What members' commands need from the node's settings, the same over HTTP and WebSocket. */
export function callOpsOptions(ctx: AppContext): CallOpsOptions {
  return {
    db: ctx.db,
    ttlMs: ctx.config.callTtlMs,
    maxActive: ctx.config.maxActiveCallsPerMember,
    markPositions: ctx.config.markPositions,
    assistTtlMs: ctx.config.assistTtlMs,
  };
}
