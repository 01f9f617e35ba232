import { createParser, type EventSourceParser } from 'eventsource-parser';

/** One dispatched event, as EventSource gives it: the type (`message` when none), the data, the last event id so far. */
export interface SseEvent {
  event: string;
  data: string;
  lastEventId: string;
}

/**
 * The longest line (and the most data of one event) kept, in characters. TornCat's own events are a
 * few KB; a line past this is a broken or hostile stream, and holding it would grow without bound.
 */
export const MAX_SSE_LINE_CHARS = 1024 * 1024;

export interface SseHandlers {
  onEvent(ev: SseEvent): void;
  /** Any valid SSE seen (an event, a comment such as the heartbeat, `id:`, `retry:`): the stream is alive. */
  onAlive?(): void;
  /** A line or an event grew past the bound: the parser stops, and the stream should be dropped. */
  onOverflow?(): void;
}

/**
 * An incremental parser of `text/event-stream` (the HTML standard's rules, by the eventsource-parser
 * library) for streams a browser does not parse for us: GM_xmlhttpRequest's chunks. It strips a
 * leading byte-order mark even where the manager hands decoded text, ends a line on a CR at the end
 * of a chunk at once (a following LF is then not a blank line), joins a line spread over many
 * chunks once, and stops for good past `maxLineChars`.
 */
export class SseParser {
  readonly #parser: EventSourceParser;
  /** EventSource's lastEventId: kept across events, set by each dispatched block's `id:`. */
  lastEventId = '';
  retryMs: number | undefined;
  /** Past the bound: nothing more is parsed. */
  overflowed = false;

  constructor(handlers: SseHandlers, maxLineChars = MAX_SSE_LINE_CHARS) {
    const alive = () => handlers.onAlive?.();
    this.#parser = createParser({
      maxBufferSize: maxLineChars,
      onId: (id) => {
        this.lastEventId = id;
        alive();
      },
      onEvent: (ev) => {
        alive();
        handlers.onEvent({ event: ev.event ?? 'message', data: ev.data, lastEventId: this.lastEventId });
      },
      onRetry: (ms) => {
        this.retryMs = ms;
        alive();
      },
      onComment: alive,
      onError: (e) => {
        if (e.type !== 'max-buffer-size-exceeded' || this.overflowed) return;
        this.overflowed = true;
        handlers.onOverflow?.();
      },
    });
  }

  feed(chunk: string): void {
    // An empty first chunk would make the library stop looking for the byte-order mark.
    if (!chunk || this.overflowed) return;
    this.#parser.feed(chunk);
  }
}
