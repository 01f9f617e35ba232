/** The first value of a comma-separated forwarded header (proxies append theirs). */
function first(v: string | undefined | null): string | undefined {
  const s = v?.split(',')[0]?.trim();
  return s ? s : undefined;
}

// A host is written into served JavaScript: only host characters may get there.
const HOST =
  /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/**
 * This server's origin as the client reached it: `X-Forwarded-Proto` and `X-Forwarded-Host` (set
 * by Render's and most proxies), else the `Host` header and the request's own scheme. Anything
 * that is not a plain host[:port] falls back to `fallbackHost` (the address the socket was accepted on).
 */
export function publicOrigin(requestUrl: string, headers: { get(name: string): string | null }, fallbackHost = 'localhost'): string {
  const url = new URL(requestUrl);
  const protoHeader = first(headers.get('x-forwarded-proto'))?.toLowerCase();
  const proto = protoHeader === 'https' || protoHeader === 'http' ? protoHeader : url.protocol === 'https:' ? 'https' : 'http';
  const host =
    [first(headers.get('x-forwarded-host')), first(headers.get('host'))].find((h) => h !== undefined && HOST.test(h)) ?? fallbackHost;
  const origin = new URL(`${proto}://${host}`);
  return origin.origin;
}
