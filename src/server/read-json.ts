import type { Context } from 'hono';
import { AppError } from '../errors.js';

/** Largest JSON body any route accepts. */
export const MAX_BODY_BYTES = 64 * 1024;

/** Parses the JSON body; the size limit is enforced before, by the body-limit middleware. */
export async function readJson(c: Context): Promise<unknown> {
  const type = c.req.header('content-type') ?? '';
  if (type && !/^application\/(.+\+)?json\b/i.test(type)) {
    throw new AppError('unsupported_media_type', `Send JSON with content-type: application/json, got ${JSON.stringify(type.slice(0, 60))}`);
  }
  const text = await c.req.text();
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new AppError('invalid_json', `The request body is not valid JSON: ${(e as Error).message}`);
  }
}
