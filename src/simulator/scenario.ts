// The default scenario that tests, the demo and benchmarks share (README, "Try it against the Torn simulator").
// Everything is drawn from the seed, so the same seed gives the same names, levels and story.

import { hash32, SeededRandom } from './seeded-random.js';
import { okayStatus, type SimStatus } from './player-status.js';

export const OWN_FACTION_ID = 1001;
export const ENEMY_FACTION_ID = 1002;
export const DEFAULT_WAR_ID = 5001;
export const FACTIONLESS_PLAYER_ID = 2026;

export type Gender = 'Male' | 'Female' | 'Enby';

export interface SimPlayer {
  id: number;
  name: string;
  level: number;
  gender: Gender;
  factionId: number | null;
  position: string;
  daysInFaction: number;
  /** Days since signup, for v1's `age`. */
  age: number;
  status: SimStatus;
  lastActionAt: number;
}

export interface SimFaction {
  id: number;
  name: string;
  tag: string;
  respect: number;
  age: number;
  capacity: number;
  bestChain: number;
  memberIds: number[];
}

export interface SimWar {
  id: number;
  factionIds: [number, number];
  start: number;
  end: number | null;
  winner: number | null;
  target: number;
  /** Scores stop accruing here: at the end, or at creation when the simulator is static. */
  scoresFrozenAt: number | null;
}

export interface Scenario {
  players: Map<number, SimPlayer>;
  factions: Map<number, SimFaction>;
  wars: Map<number, SimWar>;
}

/**
 * `demo` + the player id left-padded with zeros to 16 characters: 2001 → demo000000002001. A player
 * may hold several keys, as on Torn: their other keys are `alt<n>` + the padded id (n from 1 to 9),
 * 2001's second `alt1000000002001`; Torn's limit counts them all together.
 */
export function demoKeyFor(playerId: number, n = 0): string {
  if (!Number.isInteger(n) || n < 0 || n > 9) throw new RangeError(`key number must be 0-9, got ${n}`);
  return (n === 0 ? 'demo' : `alt${n}`) + String(playerId).padStart(12, '0');
}

/** The player a key belongs to, or null for any key that is not a demo key. */
export function playerIdFromKey(key: string): number | null {
  const m = /^(?:demo|alt[1-9])(\d{12})$/.exec(key);
  return m ? Number(m[1]) : null;
}

const NAME_HEADS = [
  'Shadow',
  'Iron',
  'Rusty',
  'Silent',
  'Crimson',
  'Lucky',
  'Frosty',
  'Wild',
  'Neon',
  'Grim',
  'Swift',
  'Mad',
  'Salty',
  'Stormy',
  'Velvet',
  'Atomic',
  'Sneaky',
  'Cosmic',
  'Brass',
  'Sly',
];
const NAME_TAILS = [
  'Viper',
  'Fox',
  'Wolf',
  'Hammer',
  'Raven',
  'Tiger',
  'Ghost',
  'Jack',
  'Blade',
  'Bear',
  'Cat',
  'Knuckles',
  'Shark',
  'Hawk',
  'Bandit',
  'Mole',
  'Badger',
  'Mantis',
  'Rook',
  'Otter',
];
const POSITIONS = ['Member', 'Member', 'Member', 'Lieutenant', 'Sergeant', 'Recruit'];

/** One generator per player and purpose, so adding a player never reshuffles the others. */
export function playerRandom(seed: number, playerId: number, purpose: number): SeededRandom {
  return new SeededRandom(hash32(seed, playerId, purpose));
}

export function makePlayer(seed: number, id: number, factionId: number | null, index: number, t0: number, taken: Set<string>): SimPlayer {
  const rng = playerRandom(seed, id, 1);
  let name = rng.pick(NAME_HEADS) + rng.pick(NAME_TAILS);
  if (rng.chance(0.4) || taken.has(name)) name += `_${rng.int(1, 99)}`;
  while (taken.has(name)) name += String(rng.int(0, 9));
  taken.add(name);
  const roll = rng.next();
  const gender: Gender = roll < 0.5 ? 'Male' : roll < 0.95 ? 'Female' : 'Enby';
  return {
    id,
    name,
    level: rng.int(8, 95),
    gender,
    factionId,
    position: factionId === null ? 'None' : index === 0 ? 'Leader' : index === 1 ? 'Co-leader' : rng.pick(POSITIONS),
    daysInFaction: factionId === null ? 0 : rng.int(3, 1400),
    age: rng.int(400, 4000),
    status: okayStatus(),
    lastActionAt: t0,
  };
}

export function makeFaction(seed: number, id: number, name: string, tag: string, memberIds: number[]): SimFaction {
  const rng = new SeededRandom(hash32(seed, id, 2));
  return {
    id,
    name,
    tag,
    respect: rng.int(200_000, 3_000_000),
    age: rng.int(300, 4000),
    capacity: 100,
    bestChain: rng.pick([250, 500, 1000, 2500]),
    memberIds,
  };
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** Builds the scenario as it stands at `t0` (sim Unix seconds). Statuses are filled in by the evolution. */
export function buildScenario(seed: number, t0: number): Scenario {
  const players = new Map<number, SimPlayer>();
  const taken = new Set<string>();
  const own = range(2001, 2025);
  const enemy = range(3001, 3025);
  own.forEach((id, i) => players.set(id, makePlayer(seed, id, OWN_FACTION_ID, i, t0, taken)));
  enemy.forEach((id, i) => players.set(id, makePlayer(seed, id, ENEMY_FACTION_ID, i, t0, taken)));
  players.set(FACTIONLESS_PLAYER_ID, makePlayer(seed, FACTIONLESS_PLAYER_ID, null, 0, t0, taken));

  const factions = new Map<number, SimFaction>([
    [OWN_FACTION_ID, makeFaction(seed, OWN_FACTION_ID, 'TornCat Demo', 'TCD', own)],
    [ENEMY_FACTION_ID, makeFaction(seed, ENEMY_FACTION_ID, 'Demo Rivals', 'DRV', enemy)],
  ]);

  // The war is already under way when the clock starts, so a demo opens on a live score.
  const warRng = new SeededRandom(hash32(seed, DEFAULT_WAR_ID, 3));
  const wars = new Map<number, SimWar>([
    [
      DEFAULT_WAR_ID,
      {
        id: DEFAULT_WAR_ID,
        factionIds: [OWN_FACTION_ID, ENEMY_FACTION_ID],
        start: t0 - warRng.int(2 * 3600, 6 * 3600),
        end: null,
        winner: null,
        target: warRng.pick([3000, 4000, 5000]),
        scoresFrozenAt: null,
      },
    ],
  ]);
  return { players, factions, wars };
}
