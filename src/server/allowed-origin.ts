/**
 * Whether a browser page at `origin` may use this server (CORS, SSE, WebSocket): it is in
 * TORNCAT_ALLOWED_ORIGINS (`*` allows any), or, when `host` is given, it is this server itself (the
 * board). `null` (sandboxed frames, file:// pages) and anything that is not an origin are refused.
 */
export function originAllowed(origin: string, allowed: readonly string[], host?: string): boolean {
  if (allowed.includes('*')) return true;
  if (allowed.includes(origin)) return true;
  if (host === undefined) return false;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  return (url.protocol === 'http:' || url.protocol === 'https:') && url.host === host;
}
