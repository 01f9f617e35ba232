import type { CallErrorCode } from '../errors.js';

/** A per-operation refusal of a member command; it travels inside the 200 answer of POST /api/calls. */
export class CallError extends Error {
  override name = 'CallError';
  constructor(
    readonly code: CallErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}
