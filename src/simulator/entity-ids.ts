// Which player or faction a request is about, with Torn's errors when there is none.

import { TornApiError } from './torn-errors.js';
import { type SimFaction, type SimPlayer } from './scenario.js';
import { type RouteContext } from './torn-request.js';

function parseId(rawId: string): number {
  if (!/^\d+$/.test(rawId) || Number(rawId) <= 0) throw new TornApiError(6);
  return Number(rawId);
}

export function resolvePlayer(ctx: RouteContext, rawId: string | null): SimPlayer {
  if (rawId === null) return ctx.owner;
  const p = ctx.world.player(parseId(rawId));
  if (!p) throw new TornApiError(6);
  return p;
}

/**
 * The faction asked for, or the key owner's. A factionless owner asking about "his" faction gets
 * error 6 (Incorrect ID): Torn reads the missing faction as id 0, which matches no faction.
 */
export function resolveFaction(ctx: RouteContext, rawId: string | null): SimFaction {
  const id = rawId === null ? ctx.owner.factionId : parseId(rawId);
  if (id === null) throw new TornApiError(6);
  const f = ctx.world.faction(id);
  if (!f) throw new TornApiError(6);
  return f;
}
