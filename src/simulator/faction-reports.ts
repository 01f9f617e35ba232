// Torn's faction reports built from the simulator's attack log, in the spec's shapes (Torn's OpenAPI
// document as shipped by tornapi-typescript 6.13.6: FactionChainReportResponse,
// FactionRankedWarReportResponse; spec-conformance.test.ts validates them).
// A public client generated from the same document has the same fields (neon0404/torn-client,
// src/generated/models/FactionChainReportAttackerAttacks.ts and FactionRankedWarReportResponse.ts,
// commit 9b88f96, seen 2026-12-07), and public war tools read `/v2/faction/{rankedWarId}/rankedwarreport`
// once a war is over and `/v2/faction/chainreport` for the running chain.

import { type AttackResult, type SimAttack, CHAIN_BONUSES, WINNING_RESULTS } from './sim-attacks.js';
import { type ChainRecord } from './sim-chain.js';
import { type SimFaction, type SimPlayer, type SimWar } from './scenario.js';

const COUNTED: ReadonlyArray<[key: string, result: AttackResult]> = [
  ['leave', 'Attacked'],
  ['mug', 'Mugged'],
  ['hospitalize', 'Hospitalized'],
  ['assists', 'Assist'],
  ['draws', 'Stalemate'],
  ['escapes', 'Escape'],
  ['losses', 'Lost'],
];

const round2 = (n: number) => Math.round(n * 100) / 100;

/** The counts a chain report gives per attacker and, without `total` and `bonuses`, for the chain. */
function counts(attacks: readonly SimAttack[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, result] of COUNTED) out[key] = attacks.filter((a) => a.result === result).length;
  out.war = attacks.filter((a) => a.warId !== null && WINNING_RESULTS.has(a.result)).length;
  out.overseas = attacks.filter((a) => a.overseas).length;
  // The simulator makes no retaliations: nobody attacks its members back in its own name.
  out.retaliations = 0;
  return out;
}

/** `chainreport` of a chain of `faction`: its details, bonus hits, each attacker's numbers, the members who made none. */
export function chainReport(chain: ChainRecord, faction: SimFaction, attacks: readonly SimAttack[]): Record<string, unknown> {
  const byAttacker = new Map<number, SimAttack[]>();
  for (const a of attacks) byAttacker.set(a.attackerId, [...(byAttacker.get(a.attackerId) ?? []), a]);
  const respect = (list: readonly SimAttack[]) => round2(list.reduce((n, a) => n + a.respect, 0));
  const best = (list: readonly SimAttack[]) => round2(Math.max(0, ...list.map((a) => a.respect)));
  const bonusHits = attacks.filter((a) => CHAIN_BONUSES.has(a.chainHit));
  const attackers = [...byAttacker].map(([id, list]) => {
    const hits = list.filter((a) => WINNING_RESULTS.has(a.result));
    return {
      id,
      respect: { total: respect(list), average: hits.length ? round2(respect(list) / hits.length) : 0, best: best(list) },
      attacks: { total: list.length, ...counts(list), bonuses: list.filter((a) => CHAIN_BONUSES.has(a.chainHit)).length },
    };
  });
  attackers.sort((a, b) => b.respect.total - a.respect.total || a.id - b.id);
  return {
    chainreport: {
      id: chain.id,
      faction_id: faction.id,
      start: chain.start,
      end: chain.end,
      details: {
        chain: chain.current,
        respect: respect(attacks),
        members: byAttacker.size,
        targets: new Set(attacks.map((a) => a.defenderId)).size,
        ...counts(attacks),
        best: best(attacks),
      },
      bonuses: bonusHits.map((a) => ({
        attacker_id: a.attackerId,
        defender_id: a.defenderId,
        chain: a.chainHit,
        respect: CHAIN_BONUSES.get(a.chainHit),
      })),
      attackers,
      non_attackers: faction.memberIds.filter((id) => !byAttacker.has(id)),
    },
  };
}

export interface RankedWarSide {
  faction: SimFaction;
  members: readonly SimPlayer[];
  score: number;
  attacks: readonly SimAttack[];
}

/**
 * `rankedwarreport` of an ended war: per faction its score and war hits, and per member the war hits
 * and the respect they scored. The ranks and rewards are placeholders of the right shape.
 */
export function rankedWarReport(war: SimWar, sides: readonly RankedWarSide[]): Record<string, unknown> {
  return {
    rankedwarreport: {
      id: war.id,
      start: war.start,
      end: war.end,
      winner: war.winner,
      forfeit: false,
      factions: sides.map((s) => {
        const won = s.faction.id === war.winner;
        const hits = s.attacks.filter((a) => WINNING_RESULTS.has(a.result));
        return {
          id: s.faction.id,
          name: s.faction.name,
          score: s.score,
          attacks: hits.length,
          rank: { before: 'Gold II', after: won ? 'Gold I' : 'Gold III' },
          rewards: { respect: won ? s.score * 2 : 0, points: won ? 100 : 0, items: [] },
          members: s.members.map((m) => {
            const mine = hits.filter((a) => a.attackerId === m.id);
            return { id: m.id, name: m.name, level: m.level, attacks: mine.length, score: round2(mine.reduce((n, a) => n + a.respect, 0)) };
          }),
        };
      }),
    },
  };
}
