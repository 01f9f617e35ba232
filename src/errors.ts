/**
 * The one registry of error codes the HTTP API can answer with. Every AppError carries one of these
 * codes; the server's error handler turns it into `{"error":{"code","message"}}` with this status.
 * docs/protocol.md's error table lists the same codes (a test checks it).
 */
export const ERROR_CODES = {
  invalid_json: { status: 400, message: 'The request body is not valid JSON' },
  invalid_request: { status: 400, message: 'The request does not have the expected shape' },
  invalid_api_key_format: { status: 400, message: 'An API key is 16 letters and digits' },
  too_many_ops: { status: 400, message: 'Too many operations in one request' },
  unauthorized: { status: 401, message: 'Sign in first: missing, unknown or expired token' },
  torn_key_rejected: { status: 401, message: 'Torn rejected this API key' },
  key_disabled: { status: 401, message: 'Your stored API key no longer works: sign in again with a working key' },
  no_faction: { status: 403, message: 'This player is not in a faction' },
  key_access_too_low: { status: 403, message: 'This key cannot read what TornCat needs: create a Public key' },
  forbidden_origin: { status: 403, message: 'This origin is not allowed' },
  not_allowed: { status: 403, message: 'Your faction position may not do this' },
  not_found: { status: 404, message: 'No such route' },
  body_too_large: { status: 413, message: 'The request body is too large' },
  unsupported_media_type: { status: 415, message: 'Send JSON with content-type: application/json' },
  rate_limited: { status: 429, message: 'Too many requests: wait and try again' },
  torn_rate_limited: { status: 429, message: 'Torn says this key made too many requests; try again in a minute' },
  internal_error: { status: 500, message: 'Internal error' },
  torn_unavailable: { status: 503, message: 'The Torn API cannot be reached right now' },
  database_unavailable: { status: 503, message: 'The database cannot be reached right now' },
  shutting_down: { status: 503, message: 'The server is shutting down; reconnect' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** Per-operation errors of POST /api/calls (and the WebSocket's commands): they travel inside a 200 answer, never as an HTTP status. */
export const CALL_ERROR_CODES = [
  'already_called',
  'not_a_target',
  'no_active_war',
  'not_your_call',
  'too_many_calls',
  'not_allowed',
] as const;
export type CallErrorCode = (typeof CALL_ERROR_CODES)[number];

export class AppError extends Error {
  override name = 'AppError';
  readonly code: ErrorCode;
  readonly status: number;
  /** Seconds the client should wait before trying again (sent as `Retry-After`). */
  readonly retryAfterS: number | undefined;

  constructor(code: ErrorCode, message?: string, options?: { cause?: unknown; retryAfterS?: number }) {
    super(message ?? ERROR_CODES[code].message, options);
    this.code = code;
    this.status = ERROR_CODES[code].status;
    this.retryAfterS = options?.retryAfterS === undefined ? undefined : Math.max(1, Math.ceil(options.retryAfterS));
  }
}

/** `catch (e)` hands us `unknown`: make it an Error before looking at it. */
export function toError(e: unknown): Error {
  if (e instanceof Error) return e;
  return new Error(typeof e === 'string' ? e : JSON.stringify(e));
}
