import type { IncomingMessage } from 'node:http';

/**
 * The address a request came from, for per-IP limits. Behind a proxy (TORNCAT_TRUST_PROXY=1) that is
 * the last `X-Forwarded-For` entry, the one the proxy itself appended; the entries before it are the
 * client's own words. Without a trusted proxy the header is ignored: anyone can send it.
 */
export function clientAddress(req: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const raw = req.headers['x-forwarded-for'];
    const last = (Array.isArray(raw) ? raw.join(',') : raw)?.split(',').at(-1)?.trim();
    if (last) return last.slice(0, 64);
  }
  return req.socket.remoteAddress ?? 'unknown';
}

/** The value a proxy appended last to a forwarded header (`X-Forwarded-Host`, `-Proto`). */
export function lastForwarded(value: string | null | undefined): string | undefined {
  const last = value?.split(',').at(-1)?.trim();
  return last ? last : undefined;
}
