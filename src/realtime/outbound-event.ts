import type { EventName, LoggedEvent } from './event-log.js';

/**
 * One event on its way to members, encoded at most once per transport: every subscriber of the
 * faction gets the very same bytes.
 */
export class OutboundEvent {
  readonly seq: number;
  readonly event: EventName;
  readonly data: object;
  #json: string | undefined;
  #sse: Buffer | undefined;
  #sseChunk: Buffer | undefined;
  #ws: string | undefined;
  #wsFrame: Buffer | undefined;

  constructor(seq: number, event: EventName, data: object) {
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

  /**
   * The SSE frame as one HTTP/1.1 chunk (size line, frame, CRLF): written straight to each socket,
   * one write per subscriber instead of the three `res.write` makes of it.
   */
  get sseChunk(): Buffer {
    return (this.#sseChunk ??= httpChunk(this.sse));
  }

  /** The WebSocket text message `{"type","id","data"}`. */
  get ws(): string {
    return (this.#ws ??= `{"type":${JSON.stringify(this.event)},"id":${this.seq},"data":${this.dataJson}}`);
  }

  /**
   * `ws` as a whole WebSocket frame from the server (final text frame, unmasked, uncompressed):
   * the same bytes for every subscriber, so it is framed and UTF-8 encoded once.
   */
  get wsFrame(): Buffer {
    return (this.#wsFrame ??= webSocketTextFrame(this.ws));
  }

  /** The long-poll item `{"id","event","data"}`. */
  toJSON(): { id: number; event: EventName; data: object } {
    return { id: this.seq, event: this.event, data: this.data };
  }
}

/** `body` as one HTTP/1.1 chunk of a chunked response. */
export function httpChunk(body: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`${body.length.toString(16)}\r\n`), body, Buffer.from('\r\n')]);
}

/** One final, unmasked text frame carrying `text` (RFC 6455 §5.2), as a server sends it. */
function webSocketTextFrame(text: string): Buffer {
  const payload = Buffer.from(text);
  const n = payload.length;
  const head = n < 126 ? 2 : n < 65536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(head + n);
  frame[0] = 0x81; // FIN, opcode 1 (text)
  if (n < 126) frame[1] = n;
  else if (n < 65536) {
    frame[1] = 126;
    frame.writeUInt16BE(n, 2);
  } else {
    frame[1] = 127;
    frame.writeBigUInt64BE(BigInt(n), 2);
  }
  payload.copy(frame, head);
  return frame;
}

/** Tells a client its resume point is gone: re-read GET /api/war, then resume from its `seq`. */
export function resetEvent(headSeq: number): OutboundEvent {
  return new OutboundEvent(headSeq, 'reset', { seq: headSeq, reason: 'resume point no longer in the event log: re-read /api/war' });
}
