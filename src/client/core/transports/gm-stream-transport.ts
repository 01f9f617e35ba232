import { isEventName, type WarEvent } from '../../../protocol/events.js';
import { MAX_SSE_LINE_CHARS, SseParser, type SseEvent } from '../sse-parser.js';
import { FIRST_BYTES_MS, SILENCE_MS, type Transport, type TransportEnd, type TransportHost } from './transport.js';

/** GET /events through the userscript manager's streaming GM_xmlhttpRequest: out of the page's CSP. */
export class GmStreamTransport implements Transport {
  readonly name = 'gm-stream';
  readonly holdsHttp = true;
  readonly #host: TransportHost;

  constructor(host: TransportHost) {
    this.#host = host;
  }

  run(signal: AbortSignal, live: () => void): Promise<TransportEnd> {
    return new Promise((resolve) => {
      const h = this.#host;
      const token = h.token();
      if (!h.api.http.stream || h.api.http.name !== 'gm' || !token)
        return resolve({ live: false, error: 'no streaming GM_xmlhttpRequest' });
      let wasLive = false;
      let lastBytes = Date.now();
      let tooLong = false;
      const parser = new SseParser({
        onEvent: (m) => {
          const event = warEvent(m);
          if (event) h.deliver([event]);
        },
        onAlive: () => {
          lastBytes = Date.now();
          if (!wasLive) {
            wasLive = true;
            live();
          }
        },
        onOverflow: () => {
          tooLong = true;
          stream.abort();
        },
      });
      const stream = h.api.http.stream(
        `${h.server}/events?lastEventId=${h.lastSeq()}`,
        { accept: 'text/event-stream', authorization: `Bearer ${token}` },
        (text) => parser.feed(text),
      );
      // A manager that buffers the whole answer never shows a byte of an endless stream.
      const watchdog = setInterval(() => {
        if (Date.now() - lastBytes > (wasLive ? SILENCE_MS : FIRST_BYTES_MS)) stream.abort();
      }, 1000);
      signal.addEventListener('abort', () => stream.abort());
      void stream.done.then((r) => {
        clearInterval(watchdog);
        resolve({
          live: wasLive,
          status: r.status,
          error: tooLong ? `an event-stream line longer than ${MAX_SSE_LINE_CHARS} characters` : r.error,
        });
      });
    });
  }
}

/** One of our events: a known name, a numeric id, JSON data; anything else on the stream is not ours. */
function warEvent(m: SseEvent): WarEvent | null {
  if (!isEventName(m.event) || !/^\d+$/.test(m.lastEventId)) return null;
  try {
    return { id: Number(m.lastEventId), event: m.event, data: JSON.parse(m.data) } as WarEvent;
  } catch {
    return null;
  }
}
