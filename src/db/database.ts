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

export interface Database extends Queryable {
  readonly kind: 'postgres' | 'pglite';
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>, options?: { isolation?: Isolation }): Promise<T>;
  /** Opens a dedicated connection that LISTENs on `channel`. */
  listen(channel: string, handlers: ListenHandlers): Promise<Listener>;
  /** The backend pid of each open LISTEN connection (tests terminate them to prove recovery). */
  listenerPids(): number[];
  close(): Promise<void>;
}

/** PostgreSQL SQLSTATE of an error from either driver, if it has one. */
export function sqlState(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}
