import type { IncomingMessage } from 'node:http';
import type { Logger } from 'pino';
import { databaseUnavailable, isDatabaseUnavailable } from '../db/unavailable.js';
import { AppError, toError } from '../errors.js';

export interface ErrorResponse {
  status: number;
  /** `Retry-After` on a 429 or 503 that knows when to come back. */
  headers: Record<string, string>;
  body: { error: { code: string; message: string } };
}

export interface ErrorContext {
  /**
   * The client closed its request before the answer (a long-poll or an upload it gave up on):
   * whatever failed then is its own doing, not a bug, and nobody reads the answer.
   */
  clientGone?: boolean;
}

/**
 * Has the client closed the request it is waiting on? True once its socket is gone: an upload
 * it abandoned (the body read fails with ECONNRESET "aborted") or a long-poll it stopped waiting for.
 */
export function clientGone(incoming: IncomingMessage | undefined, signal?: AbortSignal): boolean {
  return signal?.aborted === true || incoming?.errored != null || incoming?.socket?.destroyed === true;
}

/**
 * The one place an error becomes an HTTP answer: an AppError says its own code and status; a
 * database that cannot be reached is `503 database_unavailable`; anything else is logged and
 * answered as a 500 that leaks nothing.
 *
 * The database layer already types a lost connection as AppError('database_unavailable'), where the
 * failure is known to be the database's. The check below only catches what bypassed it, by
 * signatures no other peer produces (SQLSTATEs, the driver's wording): judged by socket error
 * codes, a client that hung up (ECONNRESET) would pass for a database outage.
 */
export function errorResponse(e: unknown, log: Logger, context: ErrorContext = {}): ErrorResponse {
  const known = e instanceof AppError ? e : isDatabaseUnavailable(e, { socketErrors: false }) ? databaseUnavailable(e) : undefined;
  if (known) {
    const headers: Record<string, string> = known.retryAfterS === undefined ? {} : { 'Retry-After': String(known.retryAfterS) };
    return { status: known.status, headers, body: { error: { code: known.code, message: known.message } } };
  }
  if (context.clientGone) log.debug({ err: toError(e) }, 'request failed after its client went away');
  else log.error({ err: toError(e) }, 'unhandled error');
  const internal = new AppError('internal_error');
  return { status: internal.status, headers: {}, body: { error: { code: internal.code, message: internal.message } } };
}
