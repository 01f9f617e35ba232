/** Longest TornCat waits on one 429 before asking again (Discord has answered with days: the next 429 says more). */
const MAX_WAIT_MS = 15 * 60_000;

/**
 * How long a 429 says to wait, in ms. Discord's body carries `retry_after` in seconds (a float)
 * (https://discord.com/developers/docs/topics/rate-limits#exceeding-a-rate-limit, read 2026-12-07),
 * with `Retry-After` and `X-RateLimit-Reset-After` headers in seconds. Webhook callers have reported
 * `retry_after` in milliseconds (https://github.com/discord/discord-api-docs/issues/4722, 2022): a body
 * value a hundred times a header's is read as ms. With nothing usable, one second.
 */
export function rateLimitWaitMs(body: string, headers: Headers): number {
  let bodyS: number | null = null;
  try {
    const v = (JSON.parse(body) as { retry_after?: unknown }).retry_after;
    if (typeof v === 'number' && Number.isFinite(v) && v >= 0) bodyS = v;
  } catch {
    /* not JSON: the headers decide */
  }
  const headerS = [headers.get('retry-after'), headers.get('x-ratelimit-reset-after')]
    .map((h) => (h === null ? NaN : Number(h)))
    .filter((n) => Number.isFinite(n) && n >= 0);
  const fromHeader = headerS.length ? Math.max(...headerS) : null;
  let seconds = bodyS ?? fromHeader ?? 1;
  if (bodyS !== null && fromHeader !== null && fromHeader > 0 && bodyS > fromHeader * 100) seconds = bodyS / 1000;
  return Math.min(MAX_WAIT_MS, Math.max(50, Math.ceil(seconds * 1000)));
}
