// Every attack the simulated game saw, kept per attacking faction: what Torn's chain reports and
// ranked war reports count. An attack is made through the control endpoint (a test's member hits a
// target) or drawn from the seeded war score as it grows (hits whose attacker the seed picks).

/**
 * Torn's attack results (its `AttackResult` names in the attack log), as a chain report counts them:
 * Attacked → `leave`, Mugged → `mug`, Hospitalized → `hospitalize`, Assist → `assists`,
 * Stalemate → `draws`, Escape → `escapes`, Lost → `losses`.
 */
export const ATTACK_RESULTS = ['Attacked', 'Mugged', 'Hospitalized', 'Assist', 'Stalemate', 'Escape', 'Lost'] as const;
export type AttackResult = (typeof ATTACK_RESULTS)[number];

/** Results that win the fight: each is a chain hit and sends the defender to hospital (leave, mug, hospitalize). */
export const WINNING_RESULTS: ReadonlySet<AttackResult> = new Set(['Attacked', 'Mugged', 'Hospitalized']);

/** Torn's chain bonus hits and the respect each gives (10th: 10, 25th: 20, doubling after). */
export const CHAIN_BONUSES: ReadonlyMap<number, number> = new Map(
  [10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 25000, 50000, 100000].map((hit, i) => [hit, 10 * 2 ** i]),
);

export interface SimAttack {
  attackerId: number;
  attackerFactionId: number;
  defenderId: number;
  at: number;
  result: AttackResult;
  /** The ranked war it counted for (attacker and defender at war with each other), or null. */
  warId: number | null;
  /** The attacker's faction's chain it was made in (0: none ran and it did not start one). */
  chainId: number;
  /** Its place in that chain, 0 when it was not a chain hit. */
  chainHit: number;
  respect: number;
  overseas: boolean;
}

export class AttackLog {
  #byFaction = new Map<number, SimAttack[]>();

  add(a: SimAttack): void {
    const list = this.#byFaction.get(a.attackerFactionId);
    if (list) list.push(a);
    else this.#byFaction.set(a.attackerFactionId, [a]);
  }

  /** The faction's attacks in one of its chains. */
  inChain(factionId: number, chainId: number): SimAttack[] {
    return (this.#byFaction.get(factionId) ?? []).filter((a) => a.chainId === chainId);
  }

  /** The faction's attacks that counted for a ranked war. */
  inWar(factionId: number, warId: number): SimAttack[] {
    return (this.#byFaction.get(factionId) ?? []).filter((a) => a.warId === warId);
  }

  clear(): void {
    this.#byFaction.clear();
  }
}
