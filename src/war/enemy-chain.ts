// The enemy's chain in our ranked war, one row per war (migrations/009), and the `enemy_chain`
// event. It comes with answers TornCat reads anyway: Torn's ranked war lists each side's `chain`
// (the v2 `faction/wars` and `faction/{id}/wars` answers, `wars.ranked.factions[].chain`, "Faction's
// current chain" in Torn's OpenAPI spec, tornapi-typescript's FactionRankedWarParticipant; the v1
// `rankedwars` selection has the same `chain` per faction). That is the count only: the timer is
// Torn's rule that a hit resets it to five minutes (wiki.torn.com/wiki/Chain), counted from the read
// that saw the count go up. The event goes out when the count changes, not on every read.
import type { Queryable } from '../db/database.js';
import type { EnemyChain } from '../protocol/intel.js';
import { appendEvent } from '../realtime/event-log.js';
import { queueDiscord } from '../discord/outbox.js';
import { enemyChainMessage } from '../discord/messages.js';
import { CHAIN_BONUSES, nextBonus } from './chain.js';

/** Torn's chain timer after a hit, in seconds (wiki.torn.com/wiki/Chain: "a timer of five minutes"). */
export const CHAIN_TIMER_S = 300;

interface EnemyChainRow {
  war_id: number;
  enemy_id: number;
  current: number;
  since: number;
  seen_at: number;
  breaks_by: number | null;
}

function toEnemyChain(r: EnemyChainRow): EnemyChain {
  return {
    warId: r.war_id,
    factionId: r.enemy_id,
    current: r.current,
    nextBonus: nextBonus(r.current),
    since: Number(r.since),
    seenAt: Number(r.seen_at),
    breaksBy: r.breaks_by === null ? null : Number(r.breaks_by),
  };
}

const COLUMNS = 'war_id, enemy_id, current, since, seen_at, breaks_by';

/** Their chain is worth a Discord post once it passes this bonus size: below it, a chain is not an assault. */
const DISCORD_FROM = 25;

/**
 * The largest bonus size (from DISCORD_FROM) that the chain passed between the stored reading and
 * the new one, or null: a leader's channel hears "they are chaining" once per size and chain, not
 * on every read.
 */
function bonusPassed(old: EnemyChain | null, next: EnemyChain): number | null {
  const from = old && old.since === next.since ? old.current : 0;
  const passed = CHAIN_BONUSES.filter((b) => b >= DISCORD_FROM && b > from && b <= next.current);
  return passed.length ? passed[passed.length - 1] : null;
}

/** A reading of the enemy's chain: their count in our war `warId`, read at `at` (Torn's clock). */
export interface EnemyChainReading {
  warId: number;
  factionId: number;
  current: number;
  at: number;
}

/**
 * The enemy's chain in a ranked war answer of Torn's (ours or theirs: both list both sides), for our
 * war while it runs; null when the answer is about another war, before the start, after the end, or
 * has no count for them.
 */
export function enemyChainReading(
  ranked: { war_id: number; start: number; end: number | null; factions: { id: number; chain?: number }[] } | null,
  war: { id: number; enemy: { id: number } },
  tornNow: number,
): EnemyChainReading | null {
  if (!ranked || ranked.war_id !== war.id || ranked.start > tornNow || (ranked.end && ranked.end <= tornNow)) return null;
  const chain = ranked.factions.find((side) => side.id === war.enemy.id)?.chain;
  return typeof chain === 'number' && Number.isFinite(chain)
    ? { warId: war.id, factionId: war.enemy.id, current: chain, at: tornNow }
    : null;
}

/** The enemy's chain in the war as last read, or null before the first read (the snapshot's `enemyChain`). */
export async function readEnemyChain(q: Queryable, factionId: number, warId: number): Promise<EnemyChain | null> {
  const r = await q.query<EnemyChainRow>(`select ${COLUMNS} from enemy_chains where faction_id = $1 and war_id = $2`, [factionId, warId]);
  return r.rows[0] ? toEnemyChain(r.rows[0]) : null;
}

/**
 * What a new count read at `at` makes of the stored chain: the first read, a rise (the timer runs
 * five minutes from this read), a drop (a break, or a new chain: it starts afresh), or nothing new.
 */
export function nextEnemyChain(
  old: EnemyChain | null,
  reading: { warId: number; factionId: number; current: number; at: number },
): EnemyChain | null {
  const { current, at } = reading;
  if (old && old.current === current) return null;
  const rose = old !== null && current > old.current;
  // A count first seen, or up from 0, is a chain TornCat saw begin or join at this read.
  const sameChain = rose && old.current > 0;
  return {
    warId: reading.warId,
    factionId: reading.factionId,
    current,
    nextBonus: nextBonus(current),
    since: sameChain ? old.since : at,
    seenAt: at,
    // The first count may be hours old: its timer is unknown until the count moves.
    breaksBy: old !== null && current > 0 ? at + CHAIN_TIMER_S : null,
  };
}

/**
 * Stores the enemy's chain count of the war as read at `at` (Torn's clock, Unix seconds) and logs an
 * `enemy_chain` event when the count changed (or on the first read). Returns whether it did.
 */
export async function recordEnemyChain(tx: Queryable, factionId: number, reading: EnemyChainReading): Promise<boolean> {
  const r = await tx.query<EnemyChainRow>(`select ${COLUMNS} from enemy_chains where faction_id = $1 and war_id = $2 for update`, [
    factionId,
    reading.warId,
  ]);
  const next = nextEnemyChain(r.rows[0] ? toEnemyChain(r.rows[0]) : null, { ...reading, current: Math.max(0, reading.current) });
  if (!next) return false;
  await tx.query(
    `insert into enemy_chains (faction_id, war_id, enemy_id, current, since, seen_at, breaks_by)
     values ($1, $2, $3, $4, $5, $6, $7)
     on conflict (faction_id, war_id) do update
       set enemy_id = excluded.enemy_id, current = excluded.current, since = excluded.since, seen_at = excluded.seen_at,
           breaks_by = excluded.breaks_by, updated_at = now()`,
    [factionId, next.warId, next.factionId, next.current, next.since, next.seenAt, next.breaksBy],
  );
  await appendEvent(tx, factionId, 'enemy_chain', { ...next });
  const size = bonusPassed(r.rows[0] ? toEnemyChain(r.rows[0]) : null, next);
  if (size !== null) {
    const war = await tx.query<{ name: string }>('select enemy_faction_name as name from wars where faction_id = $1 and id = $2', [
      factionId,
      next.warId,
    ]);
    await queueDiscord(tx, factionId, `enemy-chain:${next.since}:${size}`, enemyChainMessage(war.rows[0]?.name ?? 'The enemy', next.current));
  }
  return true;
}
