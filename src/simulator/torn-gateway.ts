// The Torn API front door: counts the request, applies an IP block and the per-IP limit, checks the
// key, applies forced errors, the per-player limit and the 29-second cache, then asks the v1 or v2
// routes for the answer. Torn answers every error with HTTP 200 and `{"error":{"code","error"}}`, so
// this never returns another status.

import { playerIdFromKey } from './scenario.js';
import { type SimWorld } from './sim-world.js';
import { PLAYER_REQUESTS_PER_MINUTE, RateLimiter } from './rate-limit.js';
import { ResponseCache } from './response-cache.js';
import { RequestStats } from './request-stats.js';
import { TornApiError, tornError } from './torn-errors.js';
import { extractKey, parseTornRequest, type ResolvedRoute, type RouteContext } from './torn-request.js';
import { resolveV1 } from './v1-routes.js';
import { resolveV2 } from './v2-routes.js';
import { mayRead } from './key-access.js';

const JSON_HEADERS = {
  'content-type': 'application/json',
  // Torn's API is open to browsers; the dashboard and userscripts may call the simulator directly.
  'access-control-allow-origin': '*',
};

function reply(body: string): Response {
  return new Response(body, { status: 200, headers: JSON_HEADERS });
}

export class TornGateway {
  readonly world: SimWorld;
  readonly limiter = new RateLimiter(PLAYER_REQUESTS_PER_MINUTE);
  /**
   * Torn's per-IP limit, off until a control turns it on (`/__sim/ip-limit`, Torn's figure is
   * IP_REQUESTS_PER_MINUTE): every node and client of a test reaches the simulator from the one loopback
   * address, where on Torn each server would count on its own.
   */
  readonly ipLimiter = new RateLimiter(Number.POSITIVE_INFINITY);
  readonly cache = new ResponseCache();
  readonly stats = new RequestStats();
  /** Sim time (ms) until which Torn blocks the address: every key from it gets error 8. */
  #ipBlockedUntilMs = 0;

  constructor(world: SimWorld) {
    this.world = world;
  }

  /**
   * Blocks every caller for `seconds` of sim time, as Torn blocks an IP that abused its API: each
   * request, whatever its key, gets error 8 until then. 0 lifts a block. Returns when it ends (Unix s), or null.
   */
  blockIp(seconds: number): number | null {
    const nowMs = this.world.clock.nowMs();
    this.#ipBlockedUntilMs = seconds > 0 ? nowMs + seconds * 1000 : 0;
    return this.ipBlockedUntil();
  }

  /** When the current IP block ends (Unix seconds), or null without one. */
  ipBlockedUntil(): number | null {
    return this.#ipBlockedUntilMs > this.world.clock.nowMs() ? Math.ceil(this.#ipBlockedUntilMs / 1000) : null;
  }

  /** Forgets every request: stats, cache and rate-limit windows; lifts an IP block and restores Torn's limits. */
  clear(): void {
    this.#ipBlockedUntilMs = 0;
    this.ipLimiter.clear();
    this.limiter.clear();
    this.cache.clear();
    this.stats.clear();
  }

  /** `address`: the caller's IP address, which Torn's per-IP limit counts by. */
  handle(request: Request, address = 'unknown'): Response {
    const url = new URL(request.url);
    const req = parseTornRequest(url);
    const key = extractKey(url, request.headers, req.version);
    this.stats.record(key, req.endpoint, address);
    try {
      return reply(this.#answer(url, req, key, address));
    } catch (e) {
      const code = e instanceof TornApiError ? e.code : 0;
      if (!(e instanceof TornApiError)) console.error('simulator: unexpected error', e);
      return reply(JSON.stringify(tornError(code)));
    }
  }

  #answer(url: URL, req: ReturnType<typeof parseTornRequest>, key: string, address: string): string {
    const nowMs = this.world.clock.nowMs();
    // The address comes before the key: a blocked or over-limit IP is refused whatever it sends.
    if (nowMs < this.#ipBlockedUntilMs || !this.ipLimiter.take(address, nowMs)) throw new TornApiError(8);
    if (key === '') throw new TornApiError(1);
    const forced = this.world.forcedError(key);
    if (forced !== undefined) throw new TornApiError(forced);
    const playerId = playerIdFromKey(key);
    const owner = playerId === null ? undefined : this.world.player(playerId);
    if (!owner) throw new TornApiError(2);
    if (!this.limiter.take(owner.id, nowMs)) throw new TornApiError(5);
    if (!mayRead(this.world.keyAccess(key), req.section, req.selections)) throw new TornApiError(16);

    this.world.catchUp();
    const ctx: RouteContext = { world: this.world, owner, key, now: this.world.now() };
    const route: ResolvedRoute = req.version === 'v2' ? resolveV2(ctx, req) : resolveV1(ctx, req);
    if (route.cacheKey === null) return JSON.stringify(route.render());
    // `timestamp` is Torn's documented way to skip the cache; the fresh answer is cached for others.
    if (!url.searchParams.has('timestamp')) {
      const cached = this.cache.get(route.cacheKey, nowMs);
      if (cached !== undefined) return cached;
    }
    const body = JSON.stringify(route.render());
    this.cache.set(route.cacheKey, body, nowMs);
    return body;
  }
}
