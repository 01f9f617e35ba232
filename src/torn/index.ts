// The Torn API client: the rest of TornCat imports from here, never from the files behind it.
export { createTornClient, TORN_COMMENT, TORN_USER_AGENT } from './torn-api.js';
export { TornClock } from './torn-clock.js';
export type { TornClient, TornClientOptions, TornRequestEvent, RequestOptions } from './torn-api.js';
export {
  TornApiError,
  TORN_ERROR_CODES,
  TORN_ERROR_KINDS,
  disablesKey,
  isGlobalBackoff,
  isRetryable,
  isTornApiError,
  kindForCode,
  restsKey,
} from './torn-error.js';
export type { TornErrorCodeInfo, TornErrorKind } from './torn-error.js';
export { toMembers } from './members.js';
export { redactKey } from './redact.js';
export type * from './types.js';
