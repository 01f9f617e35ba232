import { EVENT_NAMES, type WarEvent } from '../../../protocol/events.js';
import { FIRST_BYTES_MS, type Transport, type TransportEnd, type TransportHost, type Rung } from './transport.js';

/** The browser's own EventSource on GET /events: the best rung, where the page's CSP allows it. */
export class EventSourceTransport implements Transport {
  static readonly rung: Rung = { name: 'eventsource', label: 'EventSource', streams: true };
  readonly rung = EventSourceTransport.rung;
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
      let blocked = false;
      const origin = new URL(h.server).origin;
      // torn.com's CSP refuses the connection: the browser says so with a securitypolicyviolation event.
      const onViolation = (e: SecurityPolicyViolationEvent) => {
        if (e.blockedURI.startsWith(origin) || e.blockedURI === new URL(origin).host) {
          blocked = true;
          end("blocked by the page's Content-Security-Policy");
        }
      };
      if (typeof document !== 'undefined') document.addEventListener('securitypolicyviolation', onViolation);
      const es = new EventSource(`${h.server}/events?token=${encodeURIComponent(token)}&lastEventId=${h.lastSeq()}`);
      const end = (error: string) => {
        clearTimeout(timer);
        es.close();
        if (typeof document !== 'undefined') document.removeEventListener('securitypolicyviolation', onViolation);
        resolve({ live: wasLive, error, blocked });
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
      // The violation event is queued after the error: give it a moment to say the CSP was the cause.
      es.onerror = () => setTimeout(() => end('connection failed'), 50);
      signal.addEventListener('abort', () => end('aborted'));
    });
  }
}
