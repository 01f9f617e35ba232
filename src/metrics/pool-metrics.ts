import { Gauge, type Registry } from 'prom-client';

/** The database's connections as this node sees them at scrape time (what db/ reports, read through a callback). */
export interface DatabasePoolUse {
  /** Pooled connections open (idle or in use). */
  total: number;
  /** Pooled connections open and free. */
  idle: number;
  /** Queries and transactions waiting for a pooled connection. */
  waiting: number;
  /** The pool's size. */
  max: number;
  /** Connections outside the pool, each held for one purpose (LISTEN, the poller's advisory locks). */
  dedicated: number;
}

/**
 * Pool gauges, read when scraped: connections in use and idle, waiters, the pool's size, and the
 * dedicated connections. A pool whose waiters stay above zero is too small for the load (or the
 * database is slow); in use near the size is the warning before it.
 */
export function registerPoolMetrics(registry: Registry, read: () => DatabasePoolUse | undefined): void {
  const registers = [registry];
  new Gauge({
    name: 'torncat_db_pool_connections',
    help: 'Pooled database connections of this node, by state (in_use, idle); on the embedded database its one connection',
    labelNames: ['state'],
    registers,
    collect() {
      const use = read();
      if (!use) return;
      this.set({ state: 'in_use' }, use.total - use.idle);
      this.set({ state: 'idle' }, use.idle);
    },
  });
  new Gauge({
    name: 'torncat_db_pool_waiting',
    help: 'Queries and transactions waiting for a pooled database connection',
    registers,
    collect() {
      const use = read();
      if (use) this.set(use.waiting);
    },
  });
  new Gauge({
    name: 'torncat_db_pool_max_connections',
    help: 'Size of the database pool (1 on the embedded database)',
    registers,
    collect() {
      const use = read();
      if (use) this.set(use.max);
    },
  });
  new Gauge({
    name: 'torncat_db_dedicated_connections',
    help: 'Database connections outside the pool: LISTEN and the poller lock (0 on the embedded database)',
    registers,
    collect() {
      const use = read();
      if (use) this.set(use.dedicated);
    },
  });
}
