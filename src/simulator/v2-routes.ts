// API v2 answers, shaped exactly as the spec's schemas (KeyInfoResponse, UserBasicResponse,
// FactionMembersResponse, FactionWarsResponse, FactionRankedWarResponse, FactionOngoingChainResponse,
// FactionChainReportResponse, FactionRankedWarReportResponse); a test validates them.

import { hash32 } from './seeded-random.js';
import { PLANE_OF_TICKET, viewLastAction, viewStatus } from './player-status.js';
import { type SimFaction, type SimPlayer, type SimWar } from './scenario.js';
import { TornApiError } from './torn-errors.js';
import { resolveFaction, resolvePlayer } from './entity-ids.js';
import { type ResolvedRoute, type RouteContext, type TornRequest } from './torn-request.js';
import { type SimWorld } from './sim-world.js';
import { listedSelections } from './key-access.js';

type Part = { entity: string; render: () => Record<string, unknown> };

const REVIVE_SETTINGS = ['Everyone', 'Friends & faction', 'No one'] as const;

function v2Status(p: SimPlayer, now: number): Record<string, unknown> {
  const s = viewStatus(p.status, now);
  const out: Record<string, unknown> = { description: s.description, details: s.details, state: s.state, color: s.color, until: s.until };
  // Torn's spec: "populated only if the state is 'Traveling'".
  if (s.state === 'Traveling') out.plane_image_type = PLANE_OF_TICKET[p.status.ticket];
  return out;
}

function member(world: SimWorld, p: SimPlayer, asker: SimPlayer, now: number): Record<string, unknown> {
  const status = v2Status(p, now);
  const reviveSetting = REVIVE_SETTINGS[hash32(world.seed, p.id, 5) % REVIVE_SETTINGS.length];
  const ownFaction = asker.factionId === p.factionId;
  return {
    id: p.id,
    name: p.name,
    position: p.position,
    level: p.level,
    days_in_faction: p.daysInFaction,
    is_revivable: status.state === 'Hospital' && (p.status.revivable ?? reviveSetting !== 'No one'),
    is_on_wall: false,
    // Torn only tells a faction about its own members' organized crimes.
    is_in_oc: ownFaction && hash32(world.seed, p.id, 6) % 4 === 0,
    has_early_discharge: status.state === 'Hospital' && p.status.earlyDischarge,
    last_action: viewLastAction(p.lastActionAt, now),
    status,
    // Public keys see "Unknown", as Torn shows without faction API access.
    revive_setting: 'Unknown',
  };
}

function participants(world: SimWorld, war: SimWar): Array<{ id: number; name: string; score: number; chain: number }> {
  return war.factionIds.map((fid) => {
    const { score, chain } = world.score(war, fid);
    return { id: fid, name: world.faction(fid)?.name ?? '', score, chain };
  });
}

function keyPart(ctx: RouteContext, selection: string): Part {
  if (selection !== 'info') throw new TornApiError(4);
  const { owner } = ctx;
  const access = ctx.world.keyAccess(ctx.key);
  return {
    entity: ctx.key,
    render: () => ({
      info: {
        selections: listedSelections(access),
        access: {
          level: access.level,
          type: access.type,
          faction: false,
          company: false,
          log: { custom_permissions: false, available: [] },
        },
        user: { id: owner.id, faction_id: owner.factionId, company_id: null },
      },
    }),
  };
}

function userPart(ctx: RouteContext, req: TornRequest, selection: string): Part {
  if (selection !== 'basic') throw new TornApiError(4);
  const p = resolvePlayer(ctx, req.rawId);
  return {
    entity: String(p.id),
    render: () => ({ profile: { id: p.id, name: p.name, level: p.level, gender: p.gender, status: v2Status(p, ctx.now) } }),
  };
}

/** Selections whose id is not a faction's: `/faction/{chainId}/chainreport`, `/faction/{rankedWarId}/rankedwarreport`. */
function reportPart(ctx: RouteContext, req: TornRequest, selection: string): Part {
  const id = req.rawId === null ? null : Number(req.rawId);
  if (id !== null && !(Number.isSafeInteger(id) && id > 0)) throw new TornApiError(6);
  // Built now, not on a cache miss: who may read a report is checked for every asker, cached or not.
  if (selection === 'chainreport') {
    const report = ctx.world.chainReportOf(ctx.owner, id);
    return { entity: id === null ? `latest-chain:${ctx.owner.factionId}` : `chain:${id}`, render: () => report };
  }
  // Torn's spec has no rankedwarreport without a war id.
  if (id === null) throw new TornApiError(6);
  const report = ctx.world.rankedWarReportOf(id);
  return { entity: `ranked-war:${id}`, render: () => report };
}

function factionPart(ctx: RouteContext, req: TornRequest, selection: string): Part {
  if (selection === 'chainreport' || selection === 'rankedwarreport') return reportPart(ctx, req, selection);
  if (!['members', 'wars', 'rankedwars', 'chain'].includes(selection)) throw new TornApiError(4);
  const f: SimFaction = resolveFaction(ctx, req.rawId);
  const { world, now } = ctx;
  const render = (): Record<string, unknown> => {
    switch (selection) {
      case 'members':
        return { members: f.memberIds.flatMap((id) => world.player(id) ?? []).map((p) => member(world, p, ctx.owner, now)) };
      case 'chain':
        return { chain: world.chain(f.id) };
      case 'wars': {
        // Matched wars are listed before their start, as on Torn. A war not over shows an end of
        // 0, as Torn's other war answers do: a client must not take it for an end.
        const war = world.currentWarOf(f.id);
        const ranked = war && {
          war_id: war.id,
          start: war.start,
          end: war.end ?? 0,
          target: war.target,
          winner: war.winner,
          factions: participants(world, war),
        };
        return { pacts: [], wars: { ranked, raids: [], territory: [] } };
      }
      default:
        return {
          rankedwars: world.warHistoryOf(f.id).map((war) => ({
            id: war.id,
            start: war.start,
            // The history schema has no null end: a war still running shows 0, as Torn does.
            end: war.end ?? 0,
            target: war.target,
            winner: war.winner,
            factions: participants(world, war),
          })),
          _metadata: { links: { next: null, prev: null } },
        };
    }
  };
  return { entity: String(f.id), render };
}

export function resolveV2(ctx: RouteContext, req: TornRequest): ResolvedRoute {
  const defaults: Record<string, string> = { key: 'info', user: 'basic' };
  const selections = req.selections.length > 0 ? req.selections : defaults[req.section] ? [defaults[req.section]] : [];
  if (!['key', 'user', 'faction', 'torn'].includes(req.section)) throw new TornApiError(3);
  if (selections.length === 0) throw new TornApiError(4);
  if (req.section === 'torn') {
    // Torn's clock, never from the cache: a time 29 s old would be a wrong one.
    if (selections.length !== 1 || selections[0] !== 'timestamp') throw new TornApiError(4);
    return { cacheKey: null, render: () => ({ timestamp: ctx.world.now() }) };
  }
  const parts = selections.map((sel) =>
    req.section === 'key' ? keyPart(ctx, sel) : req.section === 'user' ? userPart(ctx, req, sel) : factionPart(ctx, req, sel),
  );
  return {
    cacheKey: `v2|${req.section}|${parts[0].entity}|${[...selections].sort().join(',')}`,
    render: () => Object.assign({}, ...parts.map((part) => part.render())),
  };
}
