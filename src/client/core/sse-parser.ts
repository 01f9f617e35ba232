/** One dispatched event: `id` NaN when the stream gave none (or not a number), `data` parsed as JSON where it is. */
export interface SseMessage {
  id: number;
  event: string;
  data: unknown;
}

/**
 * An incremental parser of the `text/event-stream` format (as the HTML standard's EventSource reads
 * it), for streams a browser does not parse for us: GM_xmlhttpRequest's chunks. Feed it text in any
 * pieces; it calls `onEvent` for each complete event and `onAlive` for every line that is valid SSE
 * (comments and `retry:` included, an error answer in JSON not), which tells the caller the stream is alive.
 */
export class SseParser {
  #buffer = '';
  #data: string[] = [];
  #event = '';
  #id: string | undefined;
  /** The last `id:` seen, as EventSource's lastEventId. */
  lastEventId: string | undefined;
  retryMs: number | undefined;

  constructor(
    private readonly onEvent: (ev: SseMessage) => void,
    private readonly onAlive: () => void = () => {},
  ) {}

  feed(chunk: string): void {
    if (!chunk) return;
    this.#buffer += chunk;
    for (;;) {
      const m = /\r\n|\r|\n/.exec(this.#buffer);
      if (!m) break;
      // A lone \r at the very end may be the first half of \r\n: wait for the next chunk.
      if (m[0] === '\r' && m.index === this.#buffer.length - 1) break;
      const line = this.#buffer.slice(0, m.index);
      this.#buffer = this.#buffer.slice(m.index + m[0].length);
      this.#line(line);
    }
  }

  #line(line: string): void {
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    if (line === '' || colon === 0 || field === 'data' || field === 'event' || field === 'id' || field === 'retry') this.onAlive();
    if (line === '') return this.#dispatch();
    if (colon === 0) return;
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.#data.push(value);
    else if (field === 'event') this.#event = value;
    else if (field === 'id' && !value.includes('\0')) this.#id = value;
    else if (field === 'retry' && /^\d+$/.test(value)) this.retryMs = Number(value);
  }

  #dispatch(): void {
    if (this.#id !== undefined) this.lastEventId = this.#id;
    const data = this.#data;
    const event = this.#event || 'message';
    const id = this.#id ?? this.lastEventId;
    this.#data = [];
    this.#event = '';
    this.#id = undefined;
    if (data.length === 0) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(data.join('\n'));
    } catch {
      parsed = data.join('\n');
    }
    this.onEvent({ id: id !== undefined && /^\d+$/.test(id) ? Number(id) : NaN, event, data: parsed });
  }
}
