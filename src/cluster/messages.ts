/**
 * What the primary and its workers say to each other over the cluster's IPC channel. Every message
 * carries `torncat` (prom-client's own metrics messages, on the same channel, carry `type`).
 */

/** The machine-wide allowances the primary holds (the limiters of AppContext.limits). */
export type LimitName = 'signIn' | 'callOps';

export type WorkerRequest =
  | { torncat: 'take'; id: number; limit: LimitName; key: string; cost: number }
  | { torncat: 'acquire-stream'; id: number; digest: string; ip: string }
  | { torncat: 'rejected-check'; id: number; digest: string }
  | { torncat: 'metrics'; id: number };

export type WorkerMessage =
  | WorkerRequest
  | { torncat: 'release-stream'; slot: number }
  | { torncat: 'rejected-remember'; digest: string }
  /** The worker serves: its address, for the primary's one "listening" line. */
  | { torncat: 'listening'; url: string };

/** A refusal travels as its code, message and wait, and is thrown again as the same AppError in the worker. */
export interface Refusal {
  code: 'rate_limited';
  message: string;
  retryAfterS: number | undefined;
}

export type PrimaryMessage = { torncat: 'reply'; id: number; refused?: Refusal; slot?: number; text?: string; failed?: string };

function tag(m: unknown): unknown {
  return typeof m === 'object' && m !== null ? (m as { torncat?: unknown }).torncat : undefined;
}

export function isWorkerMessage(m: unknown): m is WorkerMessage {
  return typeof tag(m) === 'string' && tag(m) !== 'reply';
}

export function isPrimaryMessage(m: unknown): m is PrimaryMessage {
  return tag(m) === 'reply';
}
