import { lastForwarded } from '../client-address.js';

// A host is written into served JavaScript: only host characters may get there.
const HOST =
  /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

function plainHost(v: string | null | undefined): string | undefined {
  const s = v?.trim();
  return s && HOST.test(s) ? s : undefined;
}

export interface PublicOriginOptions {
  /** TORNCAT_PUBLIC_URL: when set, the answer whatever the request says. */
  publicUrl?: string | undefined;
  /** TORNCAT_TRUST_PROXY: only then do `X-Forwarded-Host`/`-Proto` count, and only the proxy's own (last) value. */
  trustProxy?: boolean;
  /** The address the socket was accepted on, for a request without a usable `Host`. @default 'localhost' */
  fallbackHost?: string;
}

/**
 * The base URL members reach this server at, as written into the userscripts (`@connect`,
 * `@updateURL`, the `server` setting): TORNCAT_PUBLIC_URL when set; else, behind a trusted proxy, the
 * value the proxy appended to `X-Forwarded-Proto`/`-Host`; else the `Host` header. Whatever comes
 * from the request must be a plain host[:port], or the socket's local address stands in.
 */
export function publicOrigin(requestUrl: string, headers: { get(name: string): string | null }, options: PublicOriginOptions = {}): string {
  if (options.publicUrl) {
    // Config checked it is an http(s) URL; a path is kept for a server mounted under one.
    const u = new URL(options.publicUrl);
    return u.origin + u.pathname.replace(/\/+$/, '');
  }
  // Earlier entries of a forwarded header are whatever the client sent the proxy: only the last is the proxy's.
  const forwardedProto = options.trustProxy ? lastForwarded(headers.get('x-forwarded-proto'))?.toLowerCase() : undefined;
  const forwardedHost = options.trustProxy ? plainHost(lastForwarded(headers.get('x-forwarded-host'))) : undefined;
  const proto =
    forwardedProto === 'https' || forwardedProto === 'http' ? forwardedProto : new URL(requestUrl).protocol === 'https:' ? 'https' : 'http';
  const host = forwardedHost ?? plainHost(headers.get('host')) ?? options.fallbackHost ?? 'localhost';
  return new URL(`${proto}://${host}`).origin;
}
