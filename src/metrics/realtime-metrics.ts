import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/**
 * The realtime fan-out: connections by transport, events fanned out and their deliveries, the lag
 * from NOTIFY to the last write, replays, resets and slow clients cut. It is the hub's observer
 * (realtime/hub/observer.ts), called once per event, never once per subscriber.
 */
export class RealtimeMetrics {
  readonly #events: Counter;
  readonly #deliveries: Counter;
  readonly #lag: Histogram;
  readonly #replays: Counter;
  readonly #resets: Counter;
  readonly #cut: Counter<'transport' | 'reason'>;

  /** @param connections open connections by transport, read at scrape time */
  constructor(registry: Registry, connections: () => Record<string, number> | undefined) {
    const registers = [registry];
    new Gauge({
      name: 'torncat_realtime_connections',
      help: 'Open realtime connections on this node by transport (sse, websocket; long-poll: polls waiting)',
      labelNames: ['transport'],
      registers,
      collect() {
        const now = connections();
        if (!now) return;
        this.reset();
        for (const [transport, n] of Object.entries(now)) this.set({ transport }, n);
      },
    });
    this.#events = new Counter({
      name: 'torncat_realtime_events_total',
      help: 'Events read from the event log and fanned out to live subscribers',
      registers,
    });
    this.#deliveries = new Counter({
      name: 'torncat_realtime_deliveries_total',
      help: 'Events written to live subscribers, one per event and subscriber (replayed events not counted)',
      registers,
    });
    this.#lag = new Histogram({
      name: 'torncat_realtime_notify_to_write_seconds',
      help: "Time from the NOTIFY (or catch-up) saying the log holds an event to the event's last live write",
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    });
    this.#replays = new Counter({
      name: 'torncat_realtime_replays_total',
      help: 'Subscribers sent events they had missed (a resume, a gap, a backlog drained), from the window or the log',
      registers,
    });
    this.#resets = new Counter({
      name: 'torncat_realtime_resets_total',
      help: '`reset` events sent: resume points the event log no longer holds',
      registers,
    });
    this.#cut = new Counter({
      name: 'torncat_realtime_slow_clients_cut_total',
      help: 'Clients disconnected for not reading: stalled (backlog did not drain) or unsent (output past 1 MiB)',
      labelNames: ['transport', 'reason'],
      registers,
    });
  }

  published = (delivered: number, lagMs: number | undefined): void => {
    this.#events.inc();
    if (delivered > 0) this.#deliveries.inc(delivered);
    if (lagMs !== undefined) this.#lag.observe(lagMs / 1000);
  };

  replayed = (): void => this.#replays.inc();

  reset = (): void => this.#resets.inc();

  /** The hub cut a subscriber whose backlog did not drain. */
  cut = (transport: string | undefined): void => this.#cut.inc({ transport: transport ?? 'other', reason: 'stalled' });

  /** A transport cut a client whose unsent output passed its bound. */
  cutUnsent(transport: string): void {
    this.#cut.inc({ transport, reason: 'unsent' });
  }
}
