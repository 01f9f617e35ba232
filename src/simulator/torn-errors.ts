// Torn's error codes with the text its API puts in `error.error`. Torn answers errors with HTTP 200,
// so clients must read the body; the simulator does the same so they are tested against that.
// Texts for 0–24 are those Torn's documentation lists; 25–32 only exist in the v2 spec (as
// schema names), so their texts are worded after those names.

export const TORN_ERRORS: Readonly<Record<number, string>> = Object.freeze({
  0: 'Unknown error',
  1: 'Key is empty',
  2: 'Incorrect key',
  3: 'Wrong type',
  4: 'Wrong fields',
  5: 'Too many requests',
  6: 'Incorrect ID',
  7: 'Incorrect ID-entity relation',
  8: 'IP block',
  9: 'API disabled',
  10: 'Key owner is in federal jail',
  11: 'Key change error',
  12: 'Key read error',
  13: 'The key is temporarily disabled due to owner inactivity',
  14: 'Daily read limit reached',
  15: 'Temporary error',
  16: 'Access level of this key is not high enough',
  17: 'Backend error occurred, please try again',
  18: 'API key has been paused by the owner',
  19: 'Must be migrated to crimes 2.0',
  20: 'Race not yet finished',
  21: 'Incorrect category',
  22: 'This selection is only available in API v1',
  23: 'This selection is only available in API v2',
  24: 'Closed temporarily',
  25: 'Invalid stat requested',
  26: 'Only category or stats are allowed',
  27: 'Must be migrated to organized crimes 2.0',
  28: 'Incorrect log ID',
  29: 'Category selection is not available for interaction logs',
  30: 'File does not exist',
  31: 'City stats are not available right now',
  32: 'Endpoint closed until the attacking period',
});

export interface TornErrorBody {
  error: { code: number; error: string };
}

export function isTornErrorCode(code: number): boolean {
  return Number.isInteger(code) && Object.hasOwn(TORN_ERRORS, code);
}

export function tornError(code: number): TornErrorBody {
  return { error: { code, error: TORN_ERRORS[code] ?? TORN_ERRORS[0] } };
}

/** Thrown by route handlers; the request pipeline turns it into Torn's error body. */
export class TornApiError extends Error {
  readonly code: number;

  constructor(code: number) {
    super(TORN_ERRORS[code] ?? TORN_ERRORS[0]);
    this.name = 'TornApiError';
    this.code = code;
  }
}
