import assert from 'node:assert/strict';
import type { WarFixture } from './war-fixture.js';

/** An answer with its Retry-After header, as the limit tests look at it. */
export interface LimitedAnswer {
  status: number;
  body: any;
  retryAfter?: string | null;
}

/** Asserts a 429 in the error shape with a Retry-After of at least one second. */
export function assertLimited(r: LimitedAnswer): void {
  assert.equal(r.status, 429, JSON.stringify(r.body));
  assert.equal(r.body.error.code, 'rate_limited');
  assert.match(r.body.error.message, /\w/);
  if (r.retryAfter !== undefined) assert.ok(Number(r.retryAfter) >= 1, `Retry-After ${r.retryAfter}`);
}

/** POSTs `body` as JSON to the fixture's server; the answer with its Retry-After. */
export async function postJson(f: WarFixture, path: string, body: unknown, headers: Record<string, string> = {}): Promise<LimitedAnswer> {
  const res = await fetch(f.server.url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as any, retryAfter: res.headers.get('retry-after') };
}
