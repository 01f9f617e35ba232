import { Counter, Histogram, type Registry } from 'prom-client';

/** One request the HTTP app answered. `route` is the route's pattern (`/api/war`), never the path a client sent. */
export interface AnsweredRequest {
  method: string;
  route: string;
  status: number;
  seconds: number;
  /** The request waits for events by design (long-poll): its time is the member's wait, not the server's work. */
  heldOpen: boolean;
}

// Methods are the client's to choose: any other becomes `other`, so no client can add label values.
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/**
 * HTTP requests by method, route pattern and status: every answer counted, and the time to answer
 * (until the response is ready) of all but long-polls. SSE streams and WebSocket upgrades never
 * reach the HTTP app; long-polls, which wait up to 30 s on purpose, are counted but not timed, so
 * they do not show as slow requests.
 */
export class HttpMetrics {
  readonly #requests: Counter<'method' | 'route' | 'status'>;
  readonly #seconds: Histogram<'method' | 'route' | 'status'>;

  constructor(registry: Registry) {
    const labelNames = ['method', 'route', 'status'] as const;
    this.#requests = new Counter({
      name: 'torncat_http_requests_total',
      help: 'HTTP requests answered, by method, route pattern and status (long-polls included; SSE and WebSocket not)',
      labelNames,
      registers: [registry],
    });
    this.#seconds = new Histogram({
      name: 'torncat_http_request_duration_seconds',
      help: 'Time to answer an HTTP request, by method, route pattern and status (long-polls, which wait on purpose, left out)',
      labelNames,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    });
  }

  observe(r: AnsweredRequest): void {
    const labels = { method: METHODS.has(r.method) ? r.method : 'other', route: r.route, status: String(r.status) };
    this.#requests.inc(labels);
    if (!r.heldOpen) this.#seconds.observe(labels, r.seconds);
  }
}
