// The local Torn API simulator (docs/design.md, "Simulator"): a scripted ranked war with Torn's shapes,
// errors, rate limit and cache, for the demo, tests and benchmarks.
//
// Torn API: v2 `key/info`, `user/basic`, `user/{id}/basic`, `faction/members`, `faction/{id}/members`,
// `faction/wars`, `faction/{id}/wars`, `faction/rankedwars`, `faction/{id}/rankedwars`, `faction/chain`,
// `faction/{id}/chain`, `faction/chainreport`, `faction/{chainId}/chainreport`,
// `faction/{rankedWarId}/rankedwarreport` (or several selections at once, `faction?id=…&selections=members,wars`),
// `torn/timestamp` under /v2/;
// v1 `/user[/{id}]?selections=basic,profile`, `/faction[/{id}]?selections=basic,rankedwars`.
// Keys: `demo` + the padded player id, and `alt1`…`alt9` + the same for a player's other keys.
// Control (JSON): POST /__sim/players/{id}/status (travel, hospital abroad, revive flags too),
// /__sim/players/{id}/discharge (a med-out), /__sim/players/{id}/position, /__sim/factions/{id}/chain,
// /__sim/wars/{id}/start, /__sim/wars/{id}/end, /__sim/attacks (a player attacks another),
// /__sim/clock, /__sim/keys/{key}/error, /__sim/keys/{key}/access, /__sim/ip-block (every key gets
// error 8 for N seconds), /__sim/ip-limit (Torn's 1,000 a minute per IP), /__sim/reset; GET /__sim/stats,
// /__sim/state, /__sim/clock, /__sim/ip-block.

import { createSimulatorApp, listen } from './sim-server.js';
import { SimClock } from './sim-clock.js';
import { SimWorld } from './sim-world.js';
import { buildManyFactions, type ManyFactionsOptions } from './many-factions.js';

export interface SimulatorOptions {
  /** Port to listen on; 0 picks a free one. @default 0 */
  port?: number;
  /** @default '127.0.0.1' */
  host?: string;
  /** Seed for names, levels, statuses and scores. @default 1 */
  seed?: number;
  /** Statuses and scores evolve on the sim clock; when false nothing changes unless told. @default true */
  dynamic?: boolean;
  /**
   * The real clock under the sim clock (Unix ms). A frozen one makes a run repeatable to the second:
   * time then moves only by `/__sim/clock`. @default Date.now
   */
  realNow?: () => number;
  /** Adds N factions of M members at war two by two to the default scenario (many-factions.ts). */
  manyFactions?: ManyFactionsOptions;
}

export interface Simulator {
  /** Base URL with no trailing slash, e.g. `http://127.0.0.1:8090`; Torn clients append `/v2/...` or `/user/...`. */
  url: string;
  port: number;
  /** Sim time in Unix seconds. */
  now(): number;
  close(): Promise<void>;
}

export async function startSimulator(opts: SimulatorOptions = {}): Promise<Simulator> {
  const host = opts.host ?? '127.0.0.1';
  const seed = opts.seed ?? 1;
  if (!Number.isInteger(seed)) throw new TypeError('seed must be an integer');
  const world = new SimWorld({
    seed,
    dynamic: opts.dynamic ?? true,
    clock: opts.realNow ? new SimClock(opts.realNow) : undefined,
    build: opts.manyFactions && buildManyFactions(opts.manyFactions),
  });
  const { app } = createSimulatorApp(world);
  const running = await listen(app, opts.port ?? 0, host);
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${running.port}`,
    port: running.port,
    now: () => world.now(),
    close: () => running.close(),
  };
}

export { demoKeyFor, DEFAULT_WAR_ID, ENEMY_FACTION_ID, FACTIONLESS_PLAYER_ID, OWN_FACTION_ID } from './scenario.js';
export { TORN_ERRORS } from './torn-errors.js';
export { manyFactionsLayout, type GeneratedFaction, type ManyFactionsOptions } from './many-factions.js';
export type { StatsSnapshot } from './request-stats.js';
