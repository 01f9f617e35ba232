import type { Assist, MarkKind, TargetMark } from './intel.js';

/** How a call stands: `called` is open; the other states are the ways it ends. */
export type CallState = 'called' | 'released' | 'expired' | 'hit';

/** A call as members see it: the snapshot's `calls` items, and (with `warId`) the `target_call` event. */
export interface Call {
  targetId: number;
  targetName: string;
  callerId: number;
  callerName: string;
  state: CallState;
  /** When it was called, or when it ended for the other states. Unix seconds. */
  at: number;
  /**
   * When a `called` call expires (kept as it was once the call ended). Unix seconds. For a call
   * that waits for its target's hospital exit, an estimate (`until` + TTL) until the exit, when a
   * new `target_call` event carries the real one.
   */
  expiresAt: number;
  /** Called while the target was in hospital: claimed for its exit, the TTL starts at the exit. */
  waitingForExit: boolean;
}

/** The member commands of `POST /api/calls` and of the WebSocket. */
export const CALL_OP_NAMES = ['call', 'release', 'watch', 'unwatch', 'mark', 'unmark', 'assist'] as const;
export type CallOpName = (typeof CALL_OP_NAMES)[number];

/** One operation of `POST /api/calls` (and the WebSocket's commands of the same names). */
export type CallOp =
  | { op: 'call' | 'release' | 'watch' | 'unwatch' | 'unmark' | 'assist'; targetId: number }
  /** Leaders only (positions of `MARK_POSITIONS`); `note` is required with `mark: "note"`. */
  | { op: 'mark'; targetId: number; mark: MarkKind; note?: string };

/** Why the server refused one operation (`already_called`, `not_your_call`, …); `holder` says who has the target. */
export interface CallRefusal {
  code: string;
  message: string;
  holder?: { id: number; name: string };
}

/** A refusal is a result, not an HTTP error: each operation of a batch gets one, in request order. */
export type CallOpResult =
  | {
      ok: true;
      /** The call after a `call`/`release`; null for the other ops. */
      call: Call | null;
      /** After `mark` (the mark) or `unmark` (null). */
      mark?: TargetMark | null;
      /** After `assist`. */
      assist?: Assist;
    }
  | { ok: false; error: CallRefusal };

export interface CallsRequest {
  ops: CallOp[];
}

export interface CallsResponse {
  results: CallOpResult[];
  /** The faction's last event after the batch: the batch's own events are at or before it. */
  seq: number;
}
