import type { ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket } from 'ws';
import type { Subscriber } from '../../realtime/hub/hub.js';
import type { OutboundEvent } from '../../realtime/outbound-event.js';

/**
 * A client whose unsent output passes this is cut; it resumes from its last id. The hub stops
 * pushing well before (HubOptions.lagBytes) and cuts clients that stop reading, so this is the
 * last line, not the usual one. WebSocket answers count against it too.
 */
export const MAX_UNSENT_BYTES = 1 << 20;

// The hub calls write() once per event and subscriber: 10,000 calls in a row for one event. The
// subscribers are classes, not sets of closures, so that a write touches the subscriber and its
// socket and little else: at that count the fan-out's cost is socket writes and memory reads.

/**
 * One SSE response. Events go straight to its socket, each as one pre-encoded HTTP/1.1 chunk: one
 * write, where res.write makes three (size line, frame, CRLF) plus its own bookkeeping. A response
 * that did not own its socket when the stream started (a pipelined request behind another) and one
 * that is not chunked (HTTP/1.0) go through res.
 */
export class SseSubscriber implements Subscriber {
  readonly transport = 'sse';
  readonly factionId: number;
  /** False once the stream ended; nothing is written after. */
  open = true;
  readonly #res: ServerResponse;
  readonly #socket: Duplex | null;
  readonly #end: (unsent?: number) => void;

  /**
   * @param res a response whose headers (and anything else written through it) are on the socket
   * @param end ends the stream; given the unsent byte count when the client is too slow
   */
  constructor(factionId: number, res: ServerResponse, end: (unsent?: number) => void) {
    this.factionId = factionId;
    this.#res = res;
    this.#socket = res.chunkedEncoding && res.socket ? res.socket : null;
    this.#end = end;
  }

  write(ev: OutboundEvent): boolean {
    return this.send(ev.sse, ev.sseChunk);
  }

  /** Writes one frame (`chunk`: the same frame as an HTTP/1.1 chunk). False when the stream is gone. */
  send(frame: Buffer, chunk: Buffer): boolean {
    if (!this.open) return false;
    const socket = this.#socket;
    if (socket === null) {
      if (this.#res.destroyed) return false;
      if (this.#res.writableLength > MAX_UNSENT_BYTES) return this.#tooSlow(this.#res.writableLength);
      this.#res.write(frame);
      return true;
    }
    if (socket.destroyed) return false;
    const unsent = socket.writableLength;
    if (unsent > MAX_UNSENT_BYTES) return this.#tooSlow(unsent);
    socket.write(chunk);
    return true;
  }

  #tooSlow(unsent: number): false {
    this.#end(unsent);
    return false;
  }

  backlog(): number {
    return this.#socket === null ? this.#res.writableLength : this.#socket.writableLength;
  }

  cut(): void {
    this.#end();
  }
}

/**
 * One WebSocket's subscription. Events go out as the frame every subscriber gets (framed once),
 * written to the socket ws reads from and writes to: with no compression ws queues nothing of its
 * own, so frames, pings (WsConnection writes them the same way) and ws's own messages (replies,
 * close frames) stay in order.
 */
export class WsSubscriber implements Subscriber {
  readonly transport = 'websocket';
  readonly factionId: number;
  /** False once this subscription was replaced (a `resume`) or the socket closed. */
  current = true;
  readonly #ws: WebSocket;
  readonly #socket: Duplex;
  readonly #tooSlow: (unsent: number) => void;

  /** @param tooSlow closes the socket of a client too slow to read */
  constructor(factionId: number, ws: WebSocket, socket: Duplex, tooSlow: (unsent: number) => void) {
    this.factionId = factionId;
    this.#ws = ws;
    this.#socket = socket;
    this.#tooSlow = tooSlow;
  }

  write(ev: OutboundEvent): boolean {
    if (!this.current || this.#ws.readyState !== WebSocket.OPEN) return false;
    const unsent = this.#socket.writableLength;
    if (unsent > MAX_UNSENT_BYTES) {
      this.#tooSlow(unsent);
      return false;
    }
    this.#socket.write(ev.wsFrame);
    return true;
  }

  backlog(): number {
    return this.#socket.writableLength;
  }

  cut(): void {
    this.#ws.terminate();
  }
}
