import { EVENT_NAMES, type WarEvent } from '../../../protocol/events.js';
import { FIRST_BYTES_MS, type Transport, type TransportEnd, type TransportHost } from './transport.js';

/** The browser's own EventSource on GET /events: the best rung, where the page's CSP allows it. */
export class EventSourceTransport implements Transport {
  readonly name = 'eventsource';
  readonly holdsHttp = false;
  readonly #host: TransportHost;

  constructor(host: TransportHost) {
    this.#host = host;
  }

  run(signal: AbortSignal, live: () => void): Promise<TransportEnd> {
    return new Promise((resolve) => {
      const h = this.#host;
      const token = h.token();
      if (typeof EventSource !== 'function' || !token) return resolve({ live: false, error: 'EventSource not available' });
      let wasLive = false;
      const es = new EventSource(`${h.server}/events?token=${encodeURIComponent(token)}&lastEventId=${h.lastSeq()}`);
      const end = (error: string) => {
        clearTimeout(timer);
        es.close();
        resolve({ live: wasLive, error });
      };
      const timer = setTimeout(() => end('no answer'), FIRST_BYTES_MS);
      es.onopen = () => {
        clearTimeout(timer);
        wasLive = true;
        live();
      };
      for (const name of EVENT_NAMES) {
        es.addEventListener(name, (m) => {
          const msg = m as MessageEvent<string>;
          let data: unknown;
          try {
            data = JSON.parse(msg.data);
          } catch {
            return; // not JSON: not an event of ours
          }
          h.deliver([{ id: Number(msg.lastEventId), event: name, data } as WarEvent]);
        });
      }
      // Blocked by CSP, refused (401) or dropped: the ladder reconnects, from the client's own last id,
      // rather than EventSource from its Last-Event-ID (which would miss the ids long-poll applied).
      es.onerror = () => end('connection failed');
      signal.addEventListener('abort', () => end('aborted'));
    });
  }
}
