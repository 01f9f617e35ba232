// Counts of Torn API requests (never /__sim/ ones), which benchmarks read to measure how many calls
// a design costs. Every request counts: cached, refused or failed, as Torn counts them.
//
// byEndpoint keys are canonical, readable paths, the same however the request was spelled:
//   v2: `/v2/<section>[/<id>]/<selection>`, e.g. `/v2/faction/1002/members`, `/v2/faction/members`,
//       `/v2/key/info` (an id or selections given as query parameters are folded into the path; several
//       selections at once give `/v2/<section>[/<id>]?selections=a,b`);
//   v1: `/<section>[/<id>]?selections=<selections as given, comma-separated>`, e.g.
//       `/user?selections=profile`, `/faction/1002?selections=basic`, `/faction?selections=rankedwars`.
// byKey uses the key as sent; a request with no key counts under "".

export interface StatsSnapshot {
  total: number;
  byKey: Record<string, number>;
  byEndpoint: Record<string, number>;
}

export class RequestStats {
  #total = 0;
  #byKey = new Map<string, number>();
  #byEndpoint = new Map<string, number>();

  record(key: string, endpoint: string): void {
    this.#total += 1;
    this.#byKey.set(key, (this.#byKey.get(key) ?? 0) + 1);
    this.#byEndpoint.set(endpoint, (this.#byEndpoint.get(endpoint) ?? 0) + 1);
  }

  snapshot(): StatsSnapshot {
    return { total: this.#total, byKey: Object.fromEntries(this.#byKey), byEndpoint: Object.fromEntries(this.#byEndpoint) };
  }

  clear(): void {
    this.#total = 0;
    this.#byKey.clear();
    this.#byEndpoint.clear();
  }
}
