// Records every Torn API request this process sends to the simulator (time, key, path) by wrapping
// the global fetch the Torn client uses: what /__sim/stats counts, with the times it lacks.

export interface RecordedRequest {
  at: number;
  key: string;
  path: string;
}

export class TornRecorder {
  readonly requests: RecordedRequest[] = [];
  #original: typeof fetch | undefined;
  #base: string;

  constructor(simUrl: string) {
    this.#base = simUrl;
  }

  start(): this {
    const original = globalThis.fetch;
    this.#original = original;
    globalThis.fetch = ((input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]) => {
      const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
      if (url.origin === this.#base && !url.pathname.startsWith('/__sim/')) {
        this.requests.push({ at: Date.now(), key: url.searchParams.get('key') ?? '', path: url.pathname });
      }
      return original(input, init);
    }) as typeof fetch;
    return this;
  }

  stop(): void {
    if (this.#original) globalThis.fetch = this.#original;
  }

  /**
   * Faction endpoints only: what the war sync asks (sign-in's key/info and profile are the member's
   * own, and Torn's clock is asked once every few minutes). The enemy's members and wars come as
   * `/v2/faction?id=…&selections=members,wars`.
   */
  syncRequests(from = 0, to = Infinity): RecordedRequest[] {
    return this.requests.filter((r) => (r.path === '/v2/faction' || r.path.startsWith('/v2/faction/')) && r.at >= from && r.at < to);
  }

  /** The most requests any one key made in any window of `windowMs`. */
  maxPerKeyInWindow(windowMs: number, requests = this.syncRequests()): { key: string; count: number } {
    const byKey = new Map<string, number[]>();
    for (const r of requests) byKey.set(r.key, [...(byKey.get(r.key) ?? []), r.at]);
    let best = { key: '', count: 0 };
    for (const [key, times] of byKey) {
      times.sort((a, b) => a - b);
      let lo = 0;
      for (let hi = 0; hi < times.length; hi++) {
        while (times[hi] - times[lo] >= windowMs) lo++;
        if (hi - lo + 1 > best.count) best = { key, count: hi - lo + 1 };
      }
    }
    return best;
  }
}
