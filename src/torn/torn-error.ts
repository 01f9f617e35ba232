// One error type for everything that can go wrong talking to Torn, so callers (the key pool, sign-in,
// the sync loop) decide what to do from `kind` alone and never parse messages.
import { redactKey } from './redact.js';

/**
 * What a failure means for whoever holds the key:
 * - `bad_key`, `key_paused`, `key_inactive`: this key will keep failing until its owner acts: disable it.
 * - `key_rate_limited`: this key (its owner's 100/min budget) must rest a while.
 * - `ip_blocked`, `global_backoff`: Torn is refusing us or is down: every key backs off.
 * - `access_level`: the key works but cannot read this selection.
 * - `bad_request`: our request is wrong; retrying it changes nothing.
 * - `temporary`, `network`, `timeout`: the same request may work in a moment.
 * - `unknown`: Torn's code 0, an unlisted code, or an answer we cannot read.
 */
export type TornErrorKind =
  | 'bad_key'
  | 'key_paused'
  | 'key_inactive'
  | 'key_rate_limited'
  | 'ip_blocked'
  | 'global_backoff'
  | 'access_level'
  | 'bad_request'
  | 'temporary'
  | 'network'
  | 'timeout'
  | 'unknown';

export const TORN_ERROR_KINDS: readonly TornErrorKind[] = Object.freeze([
  'bad_key',
  'key_paused',
  'key_inactive',
  'key_rate_limited',
  'ip_blocked',
  'global_backoff',
  'access_level',
  'bad_request',
  'temporary',
  'network',
  'timeout',
  'unknown',
]);

export interface TornErrorCodeInfo {
  readonly kind: TornErrorKind;
  /** Torn's own wording from its API documentation (title: explanation). */
  readonly text: string;
}

/**
 * Torn's error codes as its API documentation lists them (0–29; 30–32 appear only in the v2 OpenAPI
 * document shipped by tornapi-typescript, so their text is that document's schema name).
 * Errors come back with HTTP 200 as `{"error":{"code":N,"error":"…"}}`, on v1 and v2 alike.
 */
export const TORN_ERROR_CODES: Readonly<Record<number, TornErrorCodeInfo>> = Object.freeze({
  0: { kind: 'unknown', text: 'Unknown error: Unhandled error, should not occur.' },
  1: { kind: 'bad_key', text: 'Key is empty: Private key is empty in current request.' },
  2: { kind: 'bad_key', text: 'Incorrect Key: Private key is wrong/incorrect format.' },
  3: { kind: 'bad_request', text: 'Wrong type: Requesting an incorrect basic type.' },
  4: { kind: 'bad_request', text: 'Wrong fields: Requesting incorrect selection fields.' },
  5: {
    kind: 'key_rate_limited',
    text: 'Too many requests: Requests are blocked for a small period of time because of too many requests per user (max 100 per minute).',
  },
  6: { kind: 'bad_request', text: 'Incorrect ID: Wrong ID value.' },
  7: {
    kind: 'bad_request',
    text: 'Incorrect ID-entity relation: A requested selection is private (For example, personal data of another user / faction).',
  },
  8: { kind: 'ip_blocked', text: 'IP block: Current IP is banned for a small period of time because of abuse.' },
  9: { kind: 'global_backoff', text: 'API disabled: Api system is currently disabled.' },
  10: {
    kind: 'key_inactive',
    text: "Key owner is in federal jail: Current key can't be used because owner is in federal jail.",
  },
  11: { kind: 'bad_request', text: 'Key change error: You can only change your API key once every 60 seconds.' },
  // A read failure on Torn's side, not a property of the key: try again.
  12: { kind: 'temporary', text: 'Key read error: Error reading key from Database.' },
  13: {
    kind: 'key_inactive',
    text: "The key is temporarily disabled due to owner inactivity: The key owner hasn't been online for more than 7 days.",
  },
  // A per-user quota like code 5, only longer: the key rests, the others carry on.
  14: {
    kind: 'key_rate_limited',
    text: 'Daily read limit reached: Too many records have been pulled today by this user from our cloud services.',
  },
  15: {
    kind: 'temporary',
    text: 'Temporary error: An error code specifically for testing purposes that has no dedicated meaning.',
  },
  16: {
    kind: 'access_level',
    text: 'Access level of this key is not high enough: A selection is being called of which this key does not have permission to access.',
  },
  17: { kind: 'global_backoff', text: 'Backend error occurred, please try again.' },
  18: { kind: 'key_paused', text: 'API key has been paused by the owner.' },
  19: { kind: 'bad_request', text: 'Must be migrated to crimes 2.0.' },
  20: { kind: 'bad_request', text: 'Race not yet finished.' },
  21: { kind: 'bad_request', text: 'Incorrect category: Wrong cat value.' },
  22: { kind: 'bad_request', text: 'This selection is only available in API v1.' },
  23: { kind: 'bad_request', text: 'This selection is only available in API v2.' },
  // Torn uses it for read-only maintenance windows: nothing will work for a while, whatever the key.
  24: { kind: 'global_backoff', text: 'Closed temporarily.' },
  25: { kind: 'bad_request', text: 'Invalid stat requested.' },
  26: { kind: 'bad_request', text: 'Only category or stats can be requested.' },
  27: { kind: 'bad_request', text: 'Must be migrated to organized crimes 2.0.' },
  28: { kind: 'bad_request', text: 'Incorrect log ID.' },
  29: { kind: 'bad_request', text: 'Category selection is not available for interaction logs.' },
  30: { kind: 'bad_request', text: 'File does not exist.' },
  31: { kind: 'temporary', text: 'City stats cron failed.' },
  32: { kind: 'bad_request', text: 'Endpoint closed until attacking period.' },
});

/** The kind for a Torn error code; codes Torn adds later are `unknown` until listed here. */
export function kindForCode(code: number): TornErrorKind {
  return TORN_ERROR_CODES[code]?.kind ?? 'unknown';
}

/** Codes 1, 2, 10, 13, 18: the key will not work again until its owner does something. */
export function disablesKey(kind: TornErrorKind): boolean {
  return kind === 'bad_key' || kind === 'key_paused' || kind === 'key_inactive';
}

/** Codes 5 and 14: the key is fine but must not be used for a while. */
export function restsKey(kind: TornErrorKind): boolean {
  return kind === 'key_rate_limited';
}

/** Codes 8, 9, 17, 24: switching keys would not help (and hammering an IP block prolongs it). */
export function isGlobalBackoff(kind: TornErrorKind): boolean {
  return kind === 'ip_blocked' || kind === 'global_backoff';
}

/**
 * The same request may succeed later without anyone changing anything, so a retry with jittered
 * back-off is worth it. Rate limits and global back-offs count: they pass with time.
 */
export function isRetryable(kind: TornErrorKind): boolean {
  switch (kind) {
    case 'temporary':
    case 'network':
    case 'timeout':
    case 'key_rate_limited':
    case 'ip_blocked':
    case 'global_backoff':
      return true;
    default:
      return false;
  }
}

export interface TornApiErrorInit {
  kind: TornErrorKind;
  /** Torn's error code; null when Torn never answered with one (network, timeout, HTTP error, bad JSON). */
  code: number | null;
  /** Our low-cardinality endpoint label, e.g. `v2/faction/{id}/members`. */
  endpoint: string;
  message: string;
  /** HTTP status when the failure was an HTTP one. */
  status?: number;
}

export class TornApiError extends Error {
  override readonly name = 'TornApiError';
  readonly code: number | null;
  readonly kind: TornErrorKind;
  readonly endpoint: string;
  readonly status: number | undefined;

  constructor(init: TornApiErrorInit) {
    // Redacted here as well as at the call sites: this message ends up in logs and HTTP answers.
    super(redactKey(init.message));
    this.code = init.code;
    this.kind = init.kind;
    this.endpoint = init.endpoint;
    this.status = init.status;
  }

  /** Builds the error for Torn's `{"error":{"code","error"}}` answer. */
  static fromTorn(endpoint: string, code: number, tornText: string): TornApiError {
    const text = tornText.trim() || TORN_ERROR_CODES[code]?.text || 'no message';
    return new TornApiError({
      kind: kindForCode(code),
      code,
      endpoint,
      message: `Torn API error ${code} on ${endpoint}: ${text}`,
    });
  }
}

export function isTornApiError(e: unknown): e is TornApiError {
  return e instanceof TornApiError;
}
