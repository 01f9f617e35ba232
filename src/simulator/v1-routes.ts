// API v1 answers: the older shapes many tools still read. Members are an object keyed by id,
// and "none" is 0 or "" rather than null (status `until: 0`, `details: ""`).

import { hash32 } from './seeded-random.js';
import { viewLastAction, viewStatus } from './player-status.js';
import { type SimFaction, type SimPlayer, type SimWar } from './scenario.js';
import { TornApiError } from './torn-errors.js';
import { resolveFaction, resolvePlayer } from './entity-ids.js';
import { type ResolvedRoute, type RouteContext, type TornRequest } from './torn-request.js';
import { type SimWorld } from './sim-world.js';

type Part = { entity: string; render: () => Record<string, unknown> };

function v1Status(p: SimPlayer, now: number): Record<string, unknown> {
  const s = viewStatus(p.status, now);
  return { description: s.description, details: s.details ?? '', state: s.state, color: s.color, until: s.until ?? 0 };
}

function signupDate(now: number, ageDays: number): string {
  return new Date((now - ageDays * 86400) * 1000).toISOString().slice(0, 19).replace('T', ' ');
}

function profile(world: SimWorld, p: SimPlayer, now: number): Record<string, unknown> {
  const f = p.factionId === null ? undefined : world.faction(p.factionId);
  const status = v1Status(p, now);
  const maxLife = 100 + p.level * 50;
  const life = status.state === 'Hospital' ? Math.max(1, Math.floor(maxLife / 10)) : maxLife;
  return {
    rank: 'Reasonable Punchbag',
    level: p.level,
    honor: 0,
    gender: p.gender,
    property: 'Private Island',
    signup: signupDate(now, p.age),
    awards: 50 + (hash32(world.seed, p.id, 7) % 300),
    friends: hash32(world.seed, p.id, 8) % 40,
    enemies: hash32(world.seed, p.id, 9) % 20,
    forum_posts: hash32(world.seed, p.id, 10) % 500,
    karma: hash32(world.seed, p.id, 11) % 200,
    age: p.age,
    role: 'Civilian',
    donator: 1,
    player_id: p.id,
    name: p.name,
    property_id: 100_000 + p.id,
    revivable: 1,
    life: {
      current: life,
      maximum: maxLife,
      increment: Math.floor(maxLife / 20),
      interval: 300,
      ticktime: 300 - (now % 300),
      fulltime: life === maxLife ? 0 : 3600,
    },
    status,
    job: { job: 'None', position: 'None', company_id: 0, company_name: 'None', company_type: 0 },
    faction: f
      ? {
          position: p.position,
          faction_id: f.id,
          days_in_faction: p.daysInFaction,
          faction_name: f.name,
          faction_tag: f.tag,
          faction_tag_image: `${f.id}-${f.tag}.png`,
        }
      : { position: 'None', faction_id: 0, days_in_faction: 0, faction_name: 'None', faction_tag: 'None', faction_tag_image: '' },
    married: { spouse_id: 0, spouse_name: 'None', duration: 0 },
    basicicons: {},
    states: {
      hospital_timestamp: status.state === 'Hospital' ? status.until : 0,
      jail_timestamp: status.state === 'Jail' ? status.until : 0,
    },
    last_action: viewLastAction(p.lastActionAt, now),
  };
}

function warEntry(world: SimWorld, war: SimWar): Record<string, unknown> {
  const factions: Record<string, unknown> = {};
  for (const fid of war.factionIds) {
    const { score, chain } = world.score(war, fid);
    factions[fid] = { name: world.faction(fid)?.name ?? '', score, chain };
  }
  return { factions, war: { start: war.start, end: war.end ?? 0, target: war.target, winner: war.winner ?? 0 } };
}

function factionBasic(world: SimWorld, f: SimFaction, now: number): Record<string, unknown> {
  const members: Record<string, unknown> = {};
  for (const id of f.memberIds) {
    const p = world.player(id);
    if (!p) continue;
    members[id] = {
      name: p.name,
      level: p.level,
      days_in_faction: p.daysInFaction,
      last_action: viewLastAction(p.lastActionAt, now),
      status: v1Status(p, now),
      position: p.position,
    };
  }
  const current = world.currentWarOf(f.id);
  return {
    ID: f.id,
    name: f.name,
    tag: f.tag,
    tag_image: `${f.id}-${f.tag}.png`,
    leader: f.memberIds[0] ?? 0,
    'co-leader': f.memberIds[1] ?? 0,
    respect: f.respect,
    age: f.age,
    capacity: f.capacity,
    best_chain: f.bestChain,
    ranked_wars: current ? { [current.id]: warEntry(world, current) } : {},
    territory_wars: {},
    raid_wars: {},
    peace: {},
    rank: { level: 12, name: 'Gold', division: 2, position: 0, wins: 20 },
    members,
  };
}

export function resolveV1(ctx: RouteContext, req: TornRequest): ResolvedRoute {
  const { world, now } = ctx;
  let parts: Part[];
  if (req.section === 'user') {
    const selections = req.selections.length > 0 ? req.selections : ['basic'];
    if (selections.some((s) => s !== 'basic' && s !== 'profile')) throw new TornApiError(4);
    const p = resolvePlayer(ctx, req.rawId);
    parts = selections.map((sel) => ({
      entity: String(p.id),
      render: () => {
        if (sel === 'profile') return profile(world, p, now);
        return { level: p.level, gender: p.gender, player_id: p.id, name: p.name, status: v1Status(p, now) };
      },
    }));
  } else if (req.section === 'faction') {
    const selections = req.selections.length > 0 ? req.selections : ['basic'];
    if (selections.some((s) => s !== 'basic' && s !== 'rankedwars')) throw new TornApiError(4);
    const f = resolveFaction(ctx, req.rawId);
    parts = selections.map((sel) => ({
      entity: String(f.id),
      render: () => {
        if (sel === 'basic') return factionBasic(world, f, now);
        return { rankedwars: Object.fromEntries(world.warHistoryOf(f.id).map((w) => [w.id, warEntry(world, w)])) };
      },
    }));
  } else {
    throw new TornApiError(3);
  }
  const selections = [...new Set(req.selections.length > 0 ? req.selections : ['basic'])].sort();
  return {
    cacheKey: `v1|${req.section}|${parts[0].entity}|${selections.join(',')}`,
    render: () => Object.assign({}, ...parts.map((part) => part.render())),
  };
}
