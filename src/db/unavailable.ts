import { AppError } from '../errors.js';
import { sqlState } from './database.js';

/** Socket errors meaning the server (or the network to it) is not there, not that a query was wrong. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * SQLSTATEs of a server that cannot serve this session, however correct the query: class 08
 * (connection exception) is matched by prefix. 53300: the server is full (max_connections).
 */
const UNAVAILABLE_STATES = new Set([
  '57P01' /* admin_shutdown: pg_ctl stop/restart, pg_terminate_backend */,
  '57P02' /* crash_shutdown: another backend crashed */,
  '57P03' /* cannot_connect_now: starting up, shutting down, in recovery */,
  '53300' /* too_many_connections */,
]);

/**
 * What `pg` and `pg-pool` say when the connection, not the query, failed. They carry no code, so
 * their own wording is all there is to go on (pg 8 / pg-pool 3; the test suite cuts the database to
 * keep this honest).
 */
const DRIVER_MESSAGES = [
  /^Connection terminated/ /* unexpectedly, or due to connection timeout */,
  /^timeout exceeded when trying to connect$/ /* the pool's connectionTimeoutMillis */,
  /^timeout expired$/ /* a Client's own connectionTimeoutMillis */,
  /^Client has encountered a connection error and is not queryable$/,
  /^Client was closed and is not queryable$/,
  /^Cannot use a pool after calling end on the pool$/,
  /^PGlite is closed$/,
];

export interface UnavailableOptions {
  /**
   * Count socket errors (ECONNREFUSED, ECONNRESET, …) as the database's. True where the error is
   * known to come from the driver; false where it may come from anywhere (the HTTP error handler),
   * since a client that hangs up fails its request with ECONNRESET too. @default true
   */
  socketErrors?: boolean;
}

/**
 * Did this fail because the database cannot be reached (down, restarting, network cut, out of
 * connections)? Such a failure says nothing about the request: it is answered `503
 * database_unavailable` and retried later, never logged as a bug. Looks through `cause` and
 * AggregateError's `errors` (a host name with several addresses fails with all of them).
 */
export function isDatabaseUnavailable(e: unknown, options: UnavailableOptions = {}): boolean {
  return unavailable(e, options.socketErrors ?? true, 0);
}

function unavailable(e: unknown, socketErrors: boolean, depth: number): boolean {
  if (depth > 5 || e === null || typeof e !== 'object') return false;
  if (e instanceof AppError) return e.code === 'database_unavailable';
  const { code, message, cause, errors } = e as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
  if (socketErrors && typeof code === 'string' && NETWORK_CODES.has(code)) return true;
  const state = sqlState(e);
  if (state && (state.startsWith('08') || UNAVAILABLE_STATES.has(state))) return true;
  if (typeof message === 'string' && DRIVER_MESSAGES.some((m) => m.test(message))) return true;
  if (Array.isArray(errors) && errors.some((x) => unavailable(x, socketErrors, depth + 1))) return true;
  return unavailable(cause, socketErrors, depth + 1);
}

/** The typed error for a failure `isDatabaseUnavailable` recognised; the driver's error stays its cause. */
export function databaseUnavailable(cause: unknown): AppError {
  if (cause instanceof AppError && cause.code === 'database_unavailable') return cause;
  return new AppError('database_unavailable', undefined, { cause, retryAfterS: 5 });
}
