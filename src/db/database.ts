/**
 * The one interface the rest of TornCat uses to reach PostgreSQL, whether it is a real server
 * (`pg` Pool) or the embedded PGlite. The same SQL runs on both.
 */
export interface QueryResult<T> {
  rows: T[];
  rowCount: number;
}

export interface Queryable {
  /** One parameterized statement (`$1`, `$2`, …). */
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<T>>;
  /** Several statements at once with no parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export type Isolation = 'read committed' | 'repeatable read';

/** A dedicated LISTEN connection; `close` stops listening and releases it. */
export interface Listener {
  close(): Promise<void>;
}

export interface ListenHandlers {
  onNotify(payload: string): void;
  /** The connection was lost: the caller reconnects (and catches up from the event log). */
  onError(error: Error): void;
}

/**
 * A dedicated connection holding session-level advisory locks (one poller per war across nodes).
 * Its locks live exactly as long as the connection: when it drops, `onLost` fires and every lock is gone.
 */
export interface LockSession {
  /** `pg_try_advisory_lock(space, id)`: true when this session holds it (now or already). */
  tryLock(space: number, id: number): Promise<boolean>;
  unlock(space: number, id: number): Promise<void>;
  /** One round trip on the lock connection: throws when it (and with it every lock) is gone. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** The connections a database holds, at this instant (for metrics). */
export interface PoolUse {
  /** Pooled connections open, idle or in use (PGlite: its one connection). */
  total: number;
  idle: number;
  /** Queries and transactions waiting for a pooled connection (PGlite: queued behind the running one). */
  waiting: number;
  max: number;
  /** Connections outside the pool (LISTEN, advisory locks); PGlite has none. */
  dedicated: number;
}

export interface Database extends Queryable {
  readonly kind: 'postgres' | 'pglite';
  poolUse(): PoolUse;
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>, options?: { isolation?: Isolation }): Promise<T>;
  /** Opens a dedicated connection that LISTENs on `channel`. */
  listen(channel: string, handlers: ListenHandlers): Promise<Listener>;
  /**
   * Opens a dedicated connection for advisory locks. On PGlite (one process, one connection) every
   * lock is granted at once: a single node is trivially the only poller.
   */
  lockSession(onLost: (error: Error) => void): Promise<LockSession>;
  close(): Promise<void>;
}

/** PostgreSQL SQLSTATE of an error from either driver, if it has one. */
export function sqlState(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}
