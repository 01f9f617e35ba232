import { ApiError } from '../api.js';
import { sleep } from '../sleep.js';
import type { Transport, TransportEnd, TransportHost, Rung } from './transport.js';

/** Reads the snapshot every USERSCRIPT_POLL_INTERVAL_MS (every WAR_CHECK_INTERVAL_MS without a war): the last resort. */
export class PollTransport implements Transport {
  static readonly rung: Rung = { name: 'poll', label: 'polling', streams: false };
  readonly rung = PollTransport.rung;
  readonly holdsHttp = false;
  readonly #host: TransportHost;

  constructor(host: TransportHost) {
    this.#host = host;
  }

  async run(signal: AbortSignal, live: () => void): Promise<TransportEnd> {
    const h = this.#host;
    let wasLive = false;
    for (;;) {
      if (signal.aborted) return { live: wasLive, error: 'aborted' };
      try {
        const s = await h.api.snapshot({ maxAgeMs: h.syncIntervalMs });
        if (signal.aborted) return { live: wasLive, error: 'aborted' };
        h.snapshot(s);
        if (!wasLive) {
          wasLive = true;
          live();
        }
      } catch (e) {
        return { live: wasLive, status: e instanceof ApiError ? e.status : 0, error: (e as Error).message };
      }
      await sleep(h.atWar() ? h.syncIntervalMs : h.warCheckIntervalMs, signal);
    }
  }
}
