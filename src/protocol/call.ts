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
  /** When a `called` call expires (kept as it was once the call ended). Unix seconds. */
  expiresAt: number;
}

/** One operation of `POST /api/calls` (and the WebSocket's `call`/`release` commands). */
export interface CallOp {
  op: 'call' | 'release';
  targetId: number;
}

/** Why the server refused one operation (`already_called`, `not_your_call`, …); `holder` says who has the target. */
export interface CallRefusal {
  code: string;
  message: string;
  holder?: { id: number; name: string };
}

/** A refusal is a result, not an HTTP error: each operation of a batch gets one, in request order. */
export type CallOpResult = { ok: true; call: Call | null } | { ok: false; error: CallRefusal };

export interface CallsRequest {
  ops: CallOp[];
}

export interface CallsResponse {
  results: CallOpResult[];
  /** The faction's last event after the batch: the batch's own events are at or before it. */
  seq: number;
}
