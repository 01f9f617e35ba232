import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { toError } from '../errors.js';
import type { TornRequestEvent } from '../torn/index.js';
import { HttpMetrics } from './http-metrics.js';
import { RealtimeMetrics } from './realtime-metrics.js';
import { registerPoolMetrics, type DatabasePoolUse } from './pool-metrics.js';

/**
 * What the scrape-time gauges read, given by the server once the parts exist: metrics/ reads the
 * parts it measures through these callbacks and imports none of them.
 */
export interface MetricsSources {
  /** Stored keys by state (active, resting, disabled). */
  keysByState?: () => Promise<Record<string, number>>;
  /** Live realtime subscribers (SSE, WebSocket, long-poll) on this node. */
  subscribers?: () => number;
  /** Open realtime connections by transport (`sse`, `websocket`, `long-poll`). */
  connections?: () => Record<string, number>;
  /** The poller's Torn requests of the last minute, as its budgets count them. */
  tornRequestsPerMinute?: () => TornRequestCounts;
  /** The database's pooled and dedicated connections. */
  poolUse?: () => DatabasePoolUse;
}

/** Torn requests of the last minute by stored key (its id, never the key), by player, by this node and by its egress address, with the budgets. */
export interface TornRequestCounts {
  byKey: ReadonlyMap<number, number>;
  byPlayer: ReadonlyMap<number, number>;
  node: number;
  playerBudget: number;
  address: string;
  addressUsed: number;
  addressBudget: number;
}

/**
 * One registry per server node (not prom-client's global one, so two nodes in one process — tests —
 * each report their own): Torn requests by endpoint and outcome, keys by state, back-off and poller
 * state per faction, realtime subscribers, and Node's default process metrics.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly tornRequests: Counter<'endpoint' | 'outcome'>;
  readonly tornRequestSeconds: Histogram<'endpoint'>;
  readonly keyActions: Counter<'action'>;
  readonly backoffLevel: Gauge<'faction'>;
  readonly backoffRemaining: Gauge<'faction'>;
  readonly pollingFactions: Gauge<'faction'>;
  /** HTTP requests by route pattern and status, fed by the server's request middleware. */
  readonly http: HttpMetrics;
  /** The realtime fan-out; the hub's observer. */
  readonly realtime: RealtimeMetrics;
  #sources: MetricsSources = {};
  #exposition: (() => Promise<string>) | undefined;

  constructor(options: { defaultMetrics?: boolean } = {}) {
    const registers = [this.registry];
    this.tornRequests = new Counter({
      name: 'torncat_torn_requests_total',
      help: 'Requests to the Torn API, by endpoint and outcome (ok or the error kind)',
      labelNames: ['endpoint', 'outcome'],
      registers,
    });
    this.tornRequestSeconds = new Histogram({
      name: 'torncat_torn_request_duration_seconds',
      help: 'Torn API request duration',
      labelNames: ['endpoint'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10],
      registers,
    });
    this.keyActions = new Counter({
      name: 'torncat_torn_key_actions_total',
      help: 'Keys disabled (Torn errors 2, 13, 18…) or rested (error 5) by this node',
      labelNames: ['action'],
      registers,
    });
    this.backoffLevel = new Gauge({
      name: 'torncat_torn_backoff_level',
      // Under WORKERS /metrics sums the workers' figures; this one is not a count.
      aggregator: 'max',
      help: "Failures in a row of a faction's Torn requests on errors 8, 9, 17, 24 (0: not backing off)",
      labelNames: ['faction'],
      registers,
    });
    this.backoffRemaining = new Gauge({
      name: 'torncat_torn_backoff_remaining_seconds',
      // Under WORKERS /metrics sums the workers' figures; this one is not a count.
      aggregator: 'max',
      help: "Time left in a faction's Torn back-off",
      labelNames: ['faction'],
      registers,
    });
    this.pollingFactions = new Gauge({
      name: 'torncat_sync_polling',
      help: "1 when this node holds the faction's poller lock and polls Torn for it",
      labelNames: ['faction'],
      registers,
    });
    const sources = () => this.#sources;
    new Gauge({
      name: 'torncat_torn_keys',
      // Under WORKERS /metrics sums the workers' figures; this one is the database's, read by each.
      aggregator: 'first',
      help: 'Stored Torn API keys by state (active, resting after error 5, disabled)',
      labelNames: ['state'],
      registers,
      async collect() {
        const read = sources().keysByState;
        if (!read) return;
        try {
          const c = await read();
          for (const [state, n] of Object.entries(c)) this.set({ state }, n);
        } catch (e) {
          // A scrape during a database outage still answers, without this gauge's fresh values.
          void toError(e);
        }
      },
    });
    const counts = () => sources().tornRequestsPerMinute?.();
    new Gauge({
      name: 'torncat_torn_node_requests_per_minute',
      help: "Torn requests this node's poller sent in the last minute, every faction together (its share of its address's)",
      registers,
      collect() {
        const c = counts();
        if (c) this.set(c.node);
      },
    });
    new Gauge({
      name: 'torncat_torn_player_requests_per_minute',
      help: "Torn requests made with a player's keys in the last minute, all their keys together (TORN_PLAYER_BUDGET_PER_MIN caps it)",
      labelNames: ['player'],
      registers,
      collect() {
        this.reset();
        for (const [player, n] of counts()?.byPlayer ?? []) this.set({ player: String(player) }, n);
      },
    });
    new Gauge({
      name: 'torncat_torn_key_requests_per_minute',
      help: "Torn requests made with one stored key in the last minute, by the key's id in TornCat (never the key)",
      labelNames: ['key'],
      registers,
      collect() {
        this.reset();
        for (const [key, n] of counts()?.byKey ?? []) this.set({ key: String(key) }, n);
      },
    });
    new Gauge({
      name: 'torncat_torn_address_requests_per_minute',
      // Every worker reads the same count from the database: summed, it would count each request once per worker.
      aggregator: 'max',
      help: "Torn requests sent from this node's egress address (TORN_EGRESS_ADDRESS) in the last minute, every node together, as this node last read them",
      labelNames: ['address'],
      registers,
      collect() {
        this.reset();
        const c = counts();
        if (c) this.set({ address: c.address }, c.addressUsed);
      },
    });
    new Gauge({
      name: 'torncat_torn_budget_per_minute',
      // Under WORKERS /metrics sums the workers' figures; this one is not a count.
      aggregator: 'max',
      help: 'Torn requests allowed in any minute, per player (all their keys) and per egress address (every node sending from it)',
      labelNames: ['scope'],
      registers,
      collect() {
        const c = counts();
        if (!c) return;
        this.set({ scope: 'player' }, c.playerBudget);
        this.set({ scope: 'address' }, c.addressBudget);
      },
    });
    new Gauge({
      name: 'torncat_realtime_subscribers',
      help: 'Realtime subscribers (SSE, WebSocket, long-poll) on this node',
      registers,
      collect() {
        const count = sources().subscribers;
        if (count) this.set(count());
      },
    });
    this.http = new HttpMetrics(this.registry);
    this.realtime = new RealtimeMetrics(this.registry, () => sources().connections?.());
    registerPoolMetrics(this.registry, () => sources().poolUse?.());
    if (options.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry, prefix: 'torncat_' });
  }

  /** Where scrape-time gauges read from (set once the database and hub exist). */
  bind(sources: MetricsSources): void {
    this.#sources = { ...this.#sources, ...sources };
  }

  /** For the Torn client's `onRequest`. */
  readonly onTornRequest = (e: TornRequestEvent): void => {
    this.tornRequests.inc({ endpoint: e.endpoint, outcome: e.outcome });
    this.tornRequestSeconds.observe({ endpoint: e.endpoint }, e.ms / 1000);
  };

  backoff(factionId: number, level: number, remainingMs: number): void {
    this.backoffLevel.set({ faction: String(factionId) }, level);
    this.backoffRemaining.set({ faction: String(factionId) }, Math.max(0, remainingMs) / 1000);
  }

  polling(factionId: number, held: boolean): void {
    this.pollingFactions.set({ faction: String(factionId) }, held ? 1 : 0);
  }

  keyAction(action: 'disabled' | 'rested'): void {
    this.keyActions.inc({ action });
  }

  forget(factionId: number): void {
    const faction = String(factionId);
    this.backoffLevel.remove({ faction });
    this.backoffRemaining.remove({ faction });
    this.pollingFactions.remove({ faction });
  }

  /** Torn requests this node made so far (all endpoints and outcomes). */
  async tornRequestCount(): Promise<number> {
    const m = await this.tornRequests.get();
    return m.values.reduce((n, v) => n + v.value, 0);
  }

  /** The Prometheus text exposition: this process's, or what `exposeWith` gave (the machine's, under WORKERS). */
  async text(): Promise<string> {
    return this.#exposition ? this.#exposition() : this.registry.metrics();
  }

  /** Answers /metrics with `exposition` instead: a worker asks its primary for every worker's figures together. */
  exposeWith(exposition: () => Promise<string>): void {
    this.#exposition = exposition;
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
