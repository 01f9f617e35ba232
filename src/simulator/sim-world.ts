// The simulated game: players, factions, wars and the clock they live on, plus the knobs the
// control endpoints turn. Torn-protocol concerns (keys, limits, cache) live in the gateway.

import { SimClock } from './sim-clock.js';
import { okayStatus, SIM_COUNTRIES, type SimTicket, type TornState } from './player-status.js';
import { FactionChains, type ChainInput } from './sim-chain.js';
import { SimControlError } from './sim-control-error.js';
import {
  buildScenario,
  ENEMY_FACTION_ID,
  OWN_FACTION_ID,
  type Scenario,
  type SimFaction,
  type SimPlayer,
  type SimWar,
} from './scenario.js';
import { advanceStory, beginStory, type StoryAgent } from './status-evolution.js';
import { DEFAULT_KEY_ACCESS, type KeyAccess } from './key-access.js';
import { WarScores, type FactionScore } from './war-score.js';
import { AttackLog, CHAIN_BONUSES, WINNING_RESULTS, type AttackResult, type SimAttack } from './sim-attacks.js';
import { chainReport, rankedWarReport } from './faction-reports.js';
import { hash32 } from './seeded-random.js';
import { TornApiError } from './torn-errors.js';

export interface StatusInput {
  state: TornState;
  until?: number | null;
  description?: string;
  details?: string | null;
  /** Traveling/Abroad: the country; Hospital: the country of a hospital abroad (none: Torn City). */
  destination?: string;
  /** Traveling: flying back to Torn from `destination`. */
  returning?: boolean;
  /** Torn's `has_early_discharge` for this hospital stay. */
  earlyDischarge?: boolean;
  /** Torn's `is_revivable`; unset: in hospital and the player's revive setting allows it. */
  revivable?: boolean;
  /** Traveling: the ticket (its plane shows as `plane_image_type`); unset: standard, an airliner. */
  ticket?: SimTicket;
  /** Seconds since the player's last action (Torn's `last_action`: Online under 5 min, Idle under 30, else Offline); unset: unchanged. */
  lastActionAgo?: number;
}

export interface AttackInput {
  attackerId: number;
  defenderId: number;
  /** @default 'Hospitalized' */
  result?: AttackResult;
  /** Seconds in hospital for a won fight. @default 30 minutes after a hospitalize, 15 after a mug, 10 after a leave */
  hospitalSeconds?: number;
}

const HOSPITAL_MINUTES: Partial<Record<AttackResult, number>> = { Hospitalized: 30, Mugged: 15, Attacked: 10 };
const HOSPITAL_DETAILS: Partial<Record<AttackResult, string>> = {
  Hospitalized: 'Hospitalized by',
  Mugged: 'Mugged by',
  Attacked: 'Attacked by',
};
const SEEDED_RESULTS: readonly AttackResult[] = ['Hospitalized', 'Hospitalized', 'Attacked', 'Mugged'];

/** Respect of a won fight: 1 to 4, drawn from the seed, plus the bonus of a chain bonus hit. */
function hitRespect(seed: number, attackerId: number, at: number, chainHit: number): number {
  return Math.round(100 + (hash32(seed, attackerId, at, chainHit) % 300)) / 100 + (CHAIN_BONUSES.get(chainHit) ?? 0);
}

export interface WarStartInput {
  factionIds?: [number, number];
  start?: number;
  target?: number;
}

/** A stay with no `until` given lasts this long, so a test can set "Hospital" and see a countdown. */
const DEFAULT_STAY_SECONDS = 15 * 60;

export class SimWorld {
  readonly clock: SimClock;
  readonly seed: number;
  readonly dynamic: boolean;
  #scenario!: Scenario;
  #agents = new Map<number, StoryAgent>();
  #attackers = new Map<number | null, string[]>();
  /** Players whose status was set by hand: evolution leaves them alone until reset. */
  #pinned = new Set<number>();
  #forcedErrors = new Map<string, number>();
  #keyAccess = new Map<string, KeyAccess>();
  #scores: WarScores;
  #evolvedTo = 0;
  #chains: FactionChains;
  #attacks = new AttackLog();
  /** War score from attacks made through the control endpoint, by `${warId}:${factionId}`, on top of the seeded score. */
  #attackScores = new Map<string, number>();
  /** What reset() builds: the default scenario, or a generated one (many-factions.ts). */
  readonly #build: (seed: number, t0: number) => Scenario;

  constructor(opts: { seed: number; dynamic: boolean; clock?: SimClock; build?: (seed: number, t0: number) => Scenario }) {
    this.seed = opts.seed;
    this.#build = opts.build ?? buildScenario;
    this.dynamic = opts.dynamic;
    this.clock = opts.clock ?? new SimClock();
    this.#scores = new WarScores(opts.seed);
    this.#chains = new FactionChains(40_000 + (opts.seed % 1000) * 100);
    this.reset();
  }

  /** Rebuilds the scenario from the seed as of now; the clock keeps its time (it never goes back). */
  reset(): void {
    const t0 = this.clock.now();
    this.#scenario = this.#build(this.seed, t0);
    this.#pinned.clear();
    this.#forcedErrors.clear();
    this.#keyAccess.clear();
    this.#scores.clear();
    this.#chains.clear();
    this.#attacks.clear();
    this.#attackScores.clear();
    this.#attackers.clear();
    const players = [...this.#scenario.players.values()];
    for (const p of players) {
      if (!this.#attackers.has(p.factionId)) {
        this.#attackers.set(
          p.factionId,
          players.filter((o) => o.factionId !== null && o.factionId !== p.factionId).map((o) => o.name),
        );
      }
    }
    this.#agents = new Map(players.map((p) => [p.id, beginStory(p, this.seed, t0, this.#attackersOf(p))]));
    if (!this.dynamic) {
      for (const war of this.#scenario.wars.values()) war.scoresFrozenAt = t0;
    }
    this.#evolvedTo = t0;
  }

  now(): number {
    return this.clock.now();
  }

  #attackersOf(p: SimPlayer): string[] {
    return this.#attackers.get(p.factionId) ?? [];
  }

  /** Plays every scheduled status change up to now. Cheap when nothing is due. */
  catchUp(): void {
    const now = this.clock.now();
    if (!this.dynamic || now <= this.#evolvedTo) return;
    for (const [id, agent] of this.#agents) {
      if (this.#pinned.has(id)) continue;
      const p = this.#scenario.players.get(id);
      if (p) advanceStory(p, agent, now, this.#attackersOf(p));
    }
    // A running war's hits are chain hits: each faction's chain grows with its war score.
    for (const war of this.wars()) {
      if (war.end !== null || war.start > now) continue;
      for (const fid of war.factionIds) {
        const hits = this.#scores.at(war, fid, now).score - this.#scores.at(war, fid, Math.max(war.start, this.#evolvedTo)).score;
        this.#seededHits(war, fid, hits, now);
      }
    }
    this.#evolvedTo = now;
  }

  /**
   * The seeded score's new hits, one by one into the faction's chain and the attack log, each by a
   * member and on an enemy the seed picks. Their defenders' statuses are left to their own stories.
   */
  #seededHits(war: SimWar, factionId: number, hits: number, now: number): void {
    const own = this.faction(factionId)?.memberIds ?? [];
    const enemyId = war.factionIds.find((f) => f !== factionId);
    const enemy = (enemyId === undefined ? undefined : this.faction(enemyId))?.memberIds ?? [];
    for (let i = 0; i < hits; i++) {
      this.#chains.set(factionId, { hits: 1 }, now);
      if (own.length === 0 || enemy.length === 0) continue;
      const attackerId = own[hash32(this.seed, war.id, now, i, 1) % own.length];
      const chainHit = this.chain(factionId).current as number;
      this.#attacks.add({
        attackerId,
        attackerFactionId: factionId,
        defenderId: enemy[hash32(this.seed, war.id, now, i, 2) % enemy.length],
        at: now,
        result: SEEDED_RESULTS[hash32(this.seed, war.id, now, i, 3) % SEEDED_RESULTS.length],
        warId: war.id,
        chainId: this.#chains.runningId(factionId, now),
        chainHit,
        respect: hitRespect(this.seed, attackerId, now, chainHit),
        overseas: false,
      });
    }
  }

  /**
   * One attack, as Torn plays it: a won fight (leave, mug, hospitalize) is a hit on the attacker's
   * faction's chain, a point of war score when the two factions are at war, and sends the defender
   * to hospital "Hospitalized by <attacker>"; a lost one only goes into the log.
   */
  attack(input: AttackInput): SimAttack {
    const attacker = this.player(input.attackerId);
    const defender = this.player(input.defenderId);
    if (!attacker) throw new SimControlError(404, `unknown player ${input.attackerId}`);
    if (!defender) throw new SimControlError(404, `unknown player ${input.defenderId}`);
    if (attacker.factionId === null) throw new SimControlError(409, `player ${attacker.id} is in no faction: no chain to count the attack`);
    if (attacker.factionId === defender.factionId) throw new SimControlError(409, 'attacker and defender are in the same faction');
    this.catchUp();
    const now = this.now();
    const result = input.result ?? 'Hospitalized';
    const won = WINNING_RESULTS.has(result);
    const factionId = attacker.factionId;
    const war = this.wars().find(
      (w) =>
        w.end === null &&
        w.start <= now &&
        w.factionIds.includes(factionId) &&
        defender.factionId !== null &&
        w.factionIds.includes(defender.factionId),
    );
    if (won) this.#chains.set(factionId, { hits: 1 }, now);
    const chainId = this.#chains.runningId(factionId, now);
    const chainHit = won ? (this.chain(factionId).current as number) : 0;
    if (won && war) {
      const key = `${war.id}:${factionId}`;
      this.#attackScores.set(key, (this.#attackScores.get(key) ?? 0) + 1);
    }
    const attack: SimAttack = {
      attackerId: attacker.id,
      attackerFactionId: factionId,
      defenderId: defender.id,
      at: now,
      result,
      warId: won && war ? war.id : null,
      chainId,
      chainHit,
      respect: won ? hitRespect(this.seed, attacker.id, now, chainHit) : 0,
      overseas: defender.status.state === 'Abroad',
    };
    this.#attacks.add(attack);
    if (won) {
      const abroad = defender.status.state === 'Abroad' ? defender.status.destination : null;
      this.setStatus(defender.id, {
        state: 'Hospital',
        until: now + (input.hospitalSeconds ?? (HOSPITAL_MINUTES[result] ?? 10) * 60),
        details: `${HOSPITAL_DETAILS[result]} ${attacker.name}`,
        ...(abroad ? { destination: abroad } : {}),
      });
    }
    return attack;
  }

  /**
   * `chainreport` of a chain: the faction's latest (running or not) when `chainId` is null. Torn's
   * errors here are not documented; the simulator answers 6 (Incorrect ID) for a chain that does not
   * exist (or a faction that never chained) and 7 (Incorrect ID-entity relation) for another
   * faction's running chain, whose report the spec says only its own faction may read.
   */
  chainReportOf(asker: SimPlayer, chainId: number | null): Record<string, unknown> {
    const now = this.now();
    const chain =
      chainId === null
        ? asker.factionId === null
          ? undefined
          : this.#chains.latest(asker.factionId, now)
        : this.#chains.record(chainId, now);
    if (!chain) throw new TornApiError(6);
    if (chain.end === 0 && chain.factionId !== asker.factionId) throw new TornApiError(7);
    const faction = this.faction(chain.factionId);
    if (!faction) throw new TornApiError(6);
    return chainReport(chain, faction, this.#attacks.inChain(faction.id, chain.id));
  }

  /**
   * `rankedwarreport` of an ended war. A war still running (or unknown) answers error 6: Torn
   * documents no error for it, and its report exists only once the war is over.
   */
  rankedWarReportOf(warId: number): Record<string, unknown> {
    const war = this.war(warId);
    if (!war || war.end === null) throw new TornApiError(6);
    return rankedWarReport(
      war,
      war.factionIds.flatMap((fid) => {
        const faction = this.faction(fid);
        if (!faction) return [];
        const members = faction.memberIds.flatMap((id) => this.player(id) ?? []);
        return [{ faction, members, score: this.score(war, fid).score, attacks: this.#attacks.inWar(fid, war.id) }];
      }),
    );
  }

  player(id: number): SimPlayer | undefined {
    return this.#scenario.players.get(id);
  }

  players(): SimPlayer[] {
    return [...this.#scenario.players.values()];
  }

  faction(id: number): SimFaction | undefined {
    return this.#scenario.factions.get(id);
  }

  factions(): SimFaction[] {
    return [...this.#scenario.factions.values()];
  }

  war(id: number): SimWar | undefined {
    return this.#scenario.wars.get(id);
  }

  wars(): SimWar[] {
    return [...this.#scenario.wars.values()];
  }

  isPinned(playerId: number): boolean {
    return this.#pinned.has(playerId);
  }

  /** The faction's ranked war that has not ended (matched or running), as Torn lists it. */
  currentWarOf(factionId: number): SimWar | null {
    return this.wars().find((w) => w.end === null && w.factionIds.includes(factionId)) ?? null;
  }

  /** Every ranked war of the faction, newest first, as Torn orders its history. */
  warHistoryOf(factionId: number): SimWar[] {
    return this.wars()
      .filter((w) => w.factionIds.includes(factionId))
      .sort((a, b) => b.start - a.start || b.id - a.id);
  }

  /** A faction's war score, and its chain as the war shows it: the faction's chain (`chain()`), one truth for both answers. */
  score(war: SimWar, factionId: number): FactionScore {
    if (war.start > this.now()) return { score: 0, chain: 0 };
    const score = this.#scores.at(war, factionId, this.now()).score + (this.#attackScores.get(`${war.id}:${factionId}`) ?? 0);
    return { score, chain: war.end === null ? (this.chain(factionId).current as number) : 0 };
  }

  /** Moves a player to another faction, or out of any (`null`), as leaving or being kicked does on Torn. */
  setFaction(playerId: number, factionId: number | null): SimPlayer {
    const p = this.player(playerId);
    if (!p) throw new SimControlError(404, `unknown player ${playerId}`);
    if (factionId !== null && !this.faction(factionId)) throw new SimControlError(404, `unknown faction ${factionId}`);
    const old = p.factionId === null ? undefined : this.faction(p.factionId);
    if (old) old.memberIds = old.memberIds.filter((id) => id !== playerId);
    const next = factionId === null ? undefined : this.faction(factionId);
    if (next && !next.memberIds.includes(playerId)) next.memberIds = [...next.memberIds, playerId].sort((a, b) => a - b);
    p.factionId = factionId;
    p.position = factionId === null ? 'None' : 'Recruit';
    p.daysInFaction = 0;
    return p;
  }

  setStatus(playerId: number, input: StatusInput): SimPlayer {
    const p = this.player(playerId);
    if (!p) throw new SimControlError(404, `unknown player ${playerId}`);
    this.catchUp();
    const timed = input.state === 'Hospital' || input.state === 'Jail';
    const travels = input.state === 'Traveling' || input.state === 'Abroad';
    // Torn gives no end to a flight or a stay abroad.
    const until = travels ? null : input.until !== undefined ? input.until : timed ? this.now() + DEFAULT_STAY_SECONDS : null;
    if (input.destination !== undefined && !SIM_COUNTRIES[input.destination]) {
      throw new SimControlError(400, `destination must be one of ${Object.keys(SIM_COUNTRIES).join(', ')}`);
    }
    if (input.destination !== undefined && !travels && input.state !== 'Hospital') {
      throw new SimControlError(400, 'destination is for Traveling, Abroad or a hospital abroad');
    }
    if (input.returning !== undefined && input.state !== 'Traveling') throw new SimControlError(400, 'returning is for Traveling');
    if (input.ticket !== undefined && input.state !== 'Traveling') throw new SimControlError(400, 'ticket is for Traveling');
    p.status = {
      ...okayStatus(),
      state: input.state,
      until,
      details: input.details ?? null,
      destination: travels ? (input.destination ?? 'Mexico') : (input.destination ?? null),
      returning: input.returning ?? false,
      description: input.description ?? null,
      earlyDischarge: input.earlyDischarge ?? false,
      revivable: input.revivable ?? null,
      ticket: input.ticket ?? 'standard',
    };
    if (input.lastActionAgo !== undefined) p.lastActionAt = this.now() - input.lastActionAgo;
    this.#pinned.add(playerId);
    return p;
  }

  /**
   * Ends a hospital stay now, before its `until`: a med-out, a revive or an early discharge. The
   * player acted, so he shows online; out of a hospital abroad he is abroad.
   */
  discharge(playerId: number): SimPlayer {
    const p = this.player(playerId);
    if (!p) throw new SimControlError(404, `unknown player ${playerId}`);
    this.catchUp();
    const s = p.status;
    if (s.state !== 'Hospital' || (s.until !== null && s.until <= this.now())) {
      throw new SimControlError(409, `player ${playerId} is not in hospital`);
    }
    p.status = s.destination === null ? okayStatus() : { ...okayStatus(), state: 'Abroad', destination: s.destination };
    p.lastActionAt = this.now();
    this.#pinned.add(playerId);
    return p;
  }

  /** Sets a player's faction position ("Leader", "Co-leader", "Member", …), as his leader can on Torn. */
  setPosition(playerId: number, position: string): SimPlayer {
    const p = this.player(playerId);
    if (!p) throw new SimControlError(404, `unknown player ${playerId}`);
    if (p.factionId === null) throw new SimControlError(409, `player ${playerId} is in no faction`);
    p.position = position;
    return p;
  }

  /** The faction's chain as `/v2/faction/{id}/chain` shows it now. */
  chain(factionId: number): Record<string, unknown> {
    return this.#chains.view(factionId, this.now());
  }

  setChain(factionId: number, input: ChainInput): Record<string, unknown> {
    if (!this.faction(factionId)) throw new SimControlError(404, `unknown faction ${factionId}`);
    this.#chains.set(factionId, input, this.now());
    return this.chain(factionId);
  }

  startWar(warId: number, input: WarStartInput = {}): SimWar {
    this.catchUp();
    const existing = this.war(warId);
    const factionIds = input.factionIds ?? existing?.factionIds ?? [OWN_FACTION_ID, ENEMY_FACTION_ID];
    if (factionIds[0] === factionIds[1]) throw new SimControlError(400, 'factions must be two different factions');
    for (const fid of factionIds) {
      if (!this.faction(fid)) throw new SimControlError(400, `unknown faction ${fid}`);
      const busy = this.currentWarOf(fid);
      if (busy && busy.id !== warId) throw new SimControlError(409, `faction ${fid} is already in ranked war ${busy.id}; end it first`);
    }
    const start = input.start ?? this.now();
    const war: SimWar = {
      id: warId,
      factionIds: [factionIds[0], factionIds[1]],
      start,
      end: null,
      winner: null,
      target: input.target ?? existing?.target ?? 3000,
      scoresFrozenAt: this.dynamic ? null : start,
    };
    this.#scenario.wars.set(warId, war);
    return war;
  }

  endWar(warId: number, winner?: number): SimWar {
    this.catchUp();
    const war = this.war(warId);
    if (!war) throw new SimControlError(404, `unknown war ${warId}`);
    if (war.end !== null) throw new SimControlError(409, `war ${warId} has already ended`);
    if (winner !== undefined && !war.factionIds.includes(winner)) {
      throw new SimControlError(400, `winner must be one of the war's factions (${war.factionIds.join(', ')})`);
    }
    const [a, b] = war.factionIds;
    const leader = this.score(war, b).score > this.score(war, a).score ? b : a;
    war.end = Math.max(this.now(), war.start);
    war.winner = winner ?? leader;
    return war;
  }

  forcedError(key: string): number | undefined {
    return this.#forcedErrors.get(key);
  }

  setForcedError(key: string, code: number | null): void {
    if (code === null) this.#forcedErrors.delete(key);
    else this.#forcedErrors.set(key, code);
  }

  keyAccess(key: string): KeyAccess {
    return this.#keyAccess.get(key) ?? DEFAULT_KEY_ACCESS;
  }

  /** Issues the key at another access level, as if its owner had made a new one (null: back to the default). */
  setKeyAccess(key: string, access: KeyAccess | null): void {
    if (access === null) this.#keyAccess.delete(key);
    else this.#keyAccess.set(key, access);
  }
}
