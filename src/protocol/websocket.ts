import type { CallOp, CallOpResult } from './call.js';
import type { ErrorBody } from './error-body.js';
import type { EventData, EventName } from './events.js';

/** Any JSON the client chose; echoed in the answer to the command. */
type Ref = { ref?: unknown };

/** Client to server, one JSON object per text message. */
export type WsCommand =
  /** A member command: `type` is the op's name (`{"op": …}` without `type` is accepted too). */
  | (Ref & { type: CallOp['op'] } & Omit<CallOp, 'op'>)
  | (Ref & { type: 'resume'; lastEventId?: number | string | null })
  | (Ref & { type: 'ping' });

/** An event: the same `id` and `data` as on the other transports. */
export type WsEventMessage = { [K in EventName]: { type: K; id: number; data: EventData[K] } }[EventName];

export type WsResult =
  /** A member command answered (done or refused), with the faction's seq after it. */
  | (Ref & { type: 'result'; seq: number } & CallOpResult)
  /** A `resume` done. */
  | (Ref & { type: 'result'; ok: true })
  /** A command that failed as a whole (invalid_json, rate_limited, unauthorized, …). */
  | (Ref & { type: 'result'; ok: false; error: ErrorBody['error'] });

/** Server to client. */
export type WsMessage = WsEventMessage | WsResult | (Ref & { type: 'pong' });
