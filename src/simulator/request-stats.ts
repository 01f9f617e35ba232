// Counts of Torn API requests (never /__sim/ ones), which benchmarks read to measure how many calls
// a design costs. Every request counts: cached, refused or failed, as Torn counts them.
//
// byEndpoint keys are canonical, readable paths, the same however the request was spelled:
//   v2: `/v2/<section>[/<id>]/<selection>`, e.g. `/v2/faction/1002/members`, `/v2/faction/members`,
//       `/v2/key/info` (an id or selections given as query parameters are folded into the path; several
//       selections at once give `/v2/<section>[/<id>]?selections=a,b`);
//   v1: `/<section>[/<id>]?selections=<selections as given, comma-separated>`, e.g.
//       `/user?selections=profile`, `/faction/1002?selections=basic`, `/faction?selections=rankedwars`.
// byKey uses the key as sent; a request with no key counts under "". byAddress counts by the
// caller's IP address as the simulator's socket saw it, which Torn's per-IP limit counts by (nodes
// that bind their requests to 127.0.0.2, 127.0.0.3… with TORN_LOCAL_ADDRESS show apart).
// `requests` (GET /__sim/requests) lists the latest requests with their wall-clock times, so a test
// can count any address's requests in any window.

export interface StatsSnapshot {
  total: number;
  byKey: Record<string, number>;
  byEndpoint: Record<string, number>;
  byAddress: Record<string, number>;
}

/** One request as it reached the simulator: Unix ms (wall clock), caller's address, key, canonical endpoint. */
export interface LoggedRequest {
  at: number;
  address: string;
  key: string;
  endpoint: string;
}

/** The log keeps this many latest requests (a benchmark's hundreds of thousands would not all fit). */
const LOG_LIMIT = 100_000;

export class RequestStats {
  #total = 0;
  #byKey = new Map<string, number>();
  #byEndpoint = new Map<string, number>();
  #byAddress = new Map<string, number>();
  #log: LoggedRequest[] = [];

  record(key: string, endpoint: string, address = 'unknown'): void {
    this.#total += 1;
    this.#byKey.set(key, (this.#byKey.get(key) ?? 0) + 1);
    this.#byEndpoint.set(endpoint, (this.#byEndpoint.get(endpoint) ?? 0) + 1);
    this.#byAddress.set(address, (this.#byAddress.get(address) ?? 0) + 1);
    this.#log.push({ at: Date.now(), address, key, endpoint });
    if (this.#log.length > LOG_LIMIT * 1.1) this.#log.splice(0, this.#log.length - LOG_LIMIT);
  }

  snapshot(): StatsSnapshot {
    return {
      total: this.#total,
      byKey: Object.fromEntries(this.#byKey),
      byEndpoint: Object.fromEntries(this.#byEndpoint),
      byAddress: Object.fromEntries(this.#byAddress),
    };
  }

  /** The logged requests at or after `since` (Unix ms), oldest first. */
  requests(since = 0): LoggedRequest[] {
    return this.#log.filter((r) => r.at >= since);
  }

  clear(): void {
    this.#total = 0;
    this.#byKey.clear();
    this.#byEndpoint.clear();
    this.#byAddress.clear();
    this.#log = [];
  }
}
