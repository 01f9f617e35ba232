// How a Torn API URL reads: version, section, id and selections, wherever they were written.
// v2 takes id and selection in the path (`/v2/faction/1002/members`) or the query
// (`/v2/faction?id=1002&selections=members`); v1 takes the id in the path and selections in the query.

import { type SimPlayer } from './scenario.js';
import { type SimWorld } from './sim-world.js';

export interface TornRequest {
  version: 'v1' | 'v2';
  section: string;
  /** The id as written (path or `?id=`), or null when the request is about the key owner. */
  rawId: string | null;
  /** Selections in the order given; empty means the section's default. */
  selections: string[];
  /** Canonical path for stats; see request-stats.ts for the scheme. */
  endpoint: string;
}

/** What a route needs to answer: the world and whose key is asking. */
export interface RouteContext {
  world: SimWorld;
  owner: SimPlayer;
  key: string;
  now: number;
}

/**
 * A request whose ids are checked: `cacheKey` names the answer (null: never cached, as Torn's
 * clock), `render` builds it on a cache miss.
 */
export interface ResolvedRoute {
  cacheKey: string | null;
  render(): unknown;
}

function splitList(value: string | null): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

export function parseTornRequest(url: URL): TornRequest {
  const segments = url.pathname.split('/').filter((s) => s !== '');
  const v2 = segments[0] === 'v2';
  if (v2) segments.shift();
  const section = (segments[0] ?? '').toLowerCase();
  const querySelections = splitList(url.searchParams.get('selections'));
  const queryId = url.searchParams.get('id') || null;

  if (v2) {
    let rawId: string | null = null;
    let rest = segments.slice(1);
    if (rest.length > 0 && /^\d+$/.test(rest[0])) {
      rawId = rest[0];
      rest = rest.slice(1);
    }
    rawId ??= queryId;
    const selections = [...rest.map((s) => s.toLowerCase()), ...querySelections.map((s) => s.toLowerCase())];
    const base = `/v2/${section}${rawId !== null ? `/${rawId}` : ''}`;
    const endpoint =
      selections.length === 0 ? base : selections.length === 1 ? `${base}/${selections[0]}` : `${base}?selections=${selections.join(',')}`;
    return { version: 'v2', section, rawId, selections, endpoint };
  }

  const rawId = segments[1] ?? queryId;
  const selections = querySelections.map((s) => s.toLowerCase());
  const base = `/${section}${rawId !== null ? `/${rawId}` : ''}`;
  const endpoint = selections.length === 0 ? base : `${base}?selections=${selections.join(',')}`;
  return { version: 'v1', section, rawId, selections, endpoint };
}

/** The key, from `?key=` or (v2 only, as on Torn) `Authorization: ApiKey <key>`. */
export function extractKey(url: URL, headers: Headers, version: 'v1' | 'v2'): string {
  const fromQuery = url.searchParams.get('key');
  if (fromQuery) return fromQuery.trim();
  if (version === 'v2') {
    const m = /^ApiKey\s+(\S+)\s*$/i.exec(headers.get('authorization') ?? '');
    if (m) return m[1];
  }
  return '';
}
