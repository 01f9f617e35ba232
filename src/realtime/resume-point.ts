import { AppError } from '../errors.js';

/**
 * The position a client resumes from (`Last-Event-ID`, `?lastEventId=`, or a `resume` command):
 * undefined when it has none, else a non-negative integer; anything else is a 400.
 */
export function parseResumePoint(raw: unknown): number | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  const s = String(raw).trim();
  if (!/^\d{1,15}$/.test(s)) {
    throw new AppError(
      'invalid_request',
      `lastEventId must be a non-negative integer (an event id), got ${JSON.stringify(s.slice(0, 30))}`,
    );
  }
  return Number(s);
}
