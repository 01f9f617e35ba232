import type { EventName, LoggedEvent } from './event-log.js';

/**
 * One event on its way to members, encoded at most once per transport: every subscriber of the
 * faction gets the very same bytes.
 */
export class OutboundEvent {
  readonly seq: number;
  readonly event: EventName;
  readonly data: Record<string, unknown>;
  #json: string | undefined;
  #sse: Buffer | undefined;
  #ws: string | undefined;

  constructor(seq: number, event: EventName, data: Record<string, unknown>) {
    this.seq = seq;
    this.event = event;
    this.data = data;
  }

  static from(e: LoggedEvent): OutboundEvent {
    return new OutboundEvent(e.seq, e.event, e.data);
  }

  /** `data` as JSON. JSON.stringify escapes line breaks, so it is always one SSE data line. */
  get dataJson(): string {
    return (this.#json ??= JSON.stringify(this.data));
  }

  /** The SSE frame: `id`, `event` and `data` lines and the blank line that ends it. */
  get sse(): Buffer {
    return (this.#sse ??= Buffer.from(`id: ${this.seq}\nevent: ${this.event}\ndata: ${this.dataJson}\n\n`));
  }

  /** The WebSocket text message `{"type","id","data"}`. */
  get ws(): string {
    return (this.#ws ??= `{"type":${JSON.stringify(this.event)},"id":${this.seq},"data":${this.dataJson}}`);
  }

  /** The long-poll item `{"id","event","data"}`. */
  toJSON(): { id: number; event: EventName; data: Record<string, unknown> } {
    return { id: this.seq, event: this.event, data: this.data };
  }
}

/** Tells a client its resume point is gone: re-read GET /api/war, then resume from its `seq`. */
export function resetEvent(headSeq: number): OutboundEvent {
  return new OutboundEvent(headSeq, 'reset', { seq: headSeq, reason: 'resume point no longer in the event log: re-read /api/war' });
}
