import type { Logger } from 'pino';
import { AppError, toError } from '../errors.js';

export interface ErrorResponse {
  status: number;
  body: { error: { code: string; message: string } };
}

/**
 * The one place an error becomes an HTTP answer: an AppError says its own code and status;
 * anything else is logged and answered as a 500 that leaks nothing.
 */
export function errorResponse(e: unknown, log: Logger): ErrorResponse {
  if (e instanceof AppError) return { status: e.status, body: { error: { code: e.code, message: e.message } } };
  log.error({ err: toError(e) }, 'unhandled error');
  const internal = new AppError('internal_error');
  return { status: internal.status, body: { error: { code: internal.code, message: internal.message } } };
}
