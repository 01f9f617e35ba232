import { ApiError } from '../api.js';
import type { Transport, TransportEnd, TransportHost, Rung } from './transport.js';

const WAIT_S = 25;

/** GET /api/events?since=&wait=: whole answers only, so it works over any Http (TornPDA's, a buffering manager's). */
export class LongPollTransport implements Transport {
  static readonly rung: Rung = { name: 'long-poll', label: 'long-poll', streams: false };
  readonly rung = LongPollTransport.rung;
  readonly #host: TransportHost;

  constructor(host: TransportHost) {
    this.#host = host;
  }

  get holdsHttp(): boolean {
    return this.#host.api.http.name === 'gm';
  }

  async run(signal: AbortSignal, live: () => void): Promise<TransportEnd> {
    const h = this.#host;
    let wasLive = false;
    for (;;) {
      if (signal.aborted) return { live: wasLive, error: 'aborted' };
      try {
        // The first ask answers at once (catching up, and proving the rung works); then the server holds.
        const r = await h.api.events(h.lastSeq(), wasLive ? WAIT_S : 0, signal);
        if (!wasLive) {
          wasLive = true;
          live();
        }
        if (r.events.length) h.deliver(r.events);
      } catch (e) {
        if ((e as Error).name === 'AbortError') return { live: wasLive, error: 'aborted' };
        return { live: wasLive, status: e instanceof ApiError ? e.status : 0, error: (e as Error).message };
      }
    }
  }
}
