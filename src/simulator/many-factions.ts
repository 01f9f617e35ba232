// The scale scenario: N factions of M members each, at ranked war two by two, beside the default
// scenario (whose faction 1001 and keys stay as they are). Benchmarks and the scale tests sign every
// member in and watch a node carry every war at once. Ids follow from the position, so a client can
// work out any faction, member or war without asking: see `manyFactionsLayout`.

import { hash32, SeededRandom } from './seeded-random.js';
import { buildScenario, makeFaction, makePlayer, type Scenario } from './scenario.js';

export interface ManyFactionsOptions {
  /** Factions to add, an even number: faction 2k fights faction 2k + 1. */
  factions: number;
  /** Members of each faction (Torn's capacity is 100). */
  members: number;
}

/** One generated faction: its id, its members, its enemy and their war. */
export interface GeneratedFaction {
  id: number;
  memberIds: number[];
  enemyId: number;
  warId: number;
}

const FIRST_FACTION_ID = 10_001;
const FIRST_WAR_ID = 50_001;
/** Faction k's members are 1_000_000 + k * 1000 + 1 … + members: far from the default scenario's ids. */
const FIRST_PLAYER_ID = 1_000_000;
const MAX_FACTIONS = 1000;
const MAX_MEMBERS = 100;

/** Why the options cannot make a scenario, or undefined when they can. */
function manyFactionsProblem(o: ManyFactionsOptions): string | undefined {
  if (!Number.isInteger(o.factions) || o.factions < 2 || o.factions > MAX_FACTIONS || o.factions % 2 !== 0)
    return `factions must be an even integer from 2 to ${MAX_FACTIONS}, got ${o.factions}`;
  if (!Number.isInteger(o.members) || o.members < 1 || o.members > MAX_MEMBERS)
    return `members must be an integer from 1 to ${MAX_MEMBERS}, got ${o.members}`;
  return undefined;
}

/** The generated factions, in order, as `buildManyFactions` makes them. */
export function manyFactionsLayout(o: ManyFactionsOptions): GeneratedFaction[] {
  const problem = manyFactionsProblem(o);
  if (problem) throw new RangeError(problem);
  return Array.from({ length: o.factions }, (_, k) => {
    const partner = k % 2 === 0 ? k + 1 : k - 1;
    return {
      id: FIRST_FACTION_ID + k,
      memberIds: Array.from({ length: o.members }, (_, i) => FIRST_PLAYER_ID + k * 1000 + i + 1),
      enemyId: FIRST_FACTION_ID + partner,
      warId: FIRST_WAR_ID + Math.floor(k / 2),
    };
  });
}

/**
 * A scenario builder (seed, t0) → the default scenario plus the generated factions and their wars,
 * each already under way when the clock starts, as the default war is.
 */
export function buildManyFactions(o: ManyFactionsOptions): (seed: number, t0: number) => Scenario {
  const layout = manyFactionsLayout(o);
  return (seed, t0) => {
    const scenario = buildScenario(seed, t0);
    const taken = new Set([...scenario.players.values()].map((p) => p.name));
    for (const [k, f] of layout.entries()) {
      f.memberIds.forEach((id, i) => scenario.players.set(id, makePlayer(seed, id, f.id, i, t0, taken)));
      scenario.factions.set(f.id, makeFaction(seed, f.id, `Faction ${k + 1}`, `F${k + 1}`, f.memberIds));
      if (k % 2 === 1) continue;
      const rng = new SeededRandom(hash32(seed, f.warId, 3));
      scenario.wars.set(f.warId, {
        id: f.warId,
        factionIds: [f.id, f.enemyId],
        start: t0 - rng.int(2 * 3600, 6 * 3600),
        end: null,
        winner: null,
        target: rng.pick([3000, 4000, 5000]),
        scoresFrozenAt: null,
      });
    }
    return scenario;
  };
}
