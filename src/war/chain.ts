// Our faction's chain as Torn last reported it (`/v2/faction/{id}/chain`), one row per faction, and
// the `chain` event. The event goes out only when something members see changed: a hit (the count,
// or the timeout reset upwards), a break, the cooldown or the modifier. A timeout that merely counts
// down is the clients' job (they count from `at + timeout`), so polling every few seconds does not
// fill the log.
import type { Queryable } from '../db/database.js';
import type { Chain } from '../protocol/intel.js';
import { appendEvent } from '../realtime/event-log.js';
import type { FactionOngoingChain } from '../torn/index.js';
import { queueDiscord } from '../discord/outbox.js';
import { chainBreakingMessage } from '../discord/messages.js';

/** Discord hears of a chain about to break from this many hits on (the alerts' threshold)… */
const CHAIN_BREAK_DISCORD_FROM = 10;
/** …when a read finds this many seconds or fewer left. */
const CHAIN_BREAK_DISCORD_S = 60;

/** Torn's chain bonus hits: the 10th, 25th, 50th … hit of a chain earns bonus respect. */
export const CHAIN_BONUSES = [10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 25000, 50000, 100000] as const;

/** The next bonus hit above `current` (100000, the longest chain Torn allows, past the last one). */
export function nextBonus(current: number): number {
  return CHAIN_BONUSES.find((b) => b > current) ?? CHAIN_BONUSES[CHAIN_BONUSES.length - 1];
}

/**
 * Two readings' deadlines (when the chain breaks, when the cooldown ends) further apart than this
 * are a change. Each is Torn's whole seconds left plus our reading of Torn's clock, so the same
 * deadline read twice can differ by a second or so; a hit moves it by far more.
 */
const DEADLINE_TOLERANCE_S = 2;

/**
 * Torn's `cooldown`: the spec calls it a timestamp ("until when chain is on cooldown"), v1 and
 * Torn's chain bar count seconds. A value that can only be a Unix time is read as one; either way
 * it becomes seconds left as of `at`.
 */
function cooldownLeft(cooldown: number, at: number): number {
  if (cooldown <= 0) return 0;
  return cooldown > 1_000_000_000 ? Math.max(0, cooldown - at) : cooldown;
}

/** The chain as members see it, from Torn's answer read at `at` (Torn's clock, Unix seconds). */
export function chainFromTorn(factionId: number, raw: FactionOngoingChain, at: number): Chain {
  return {
    factionId,
    current: raw.current,
    max: raw.max,
    timeout: Math.max(0, raw.timeout),
    cooldown: cooldownLeft(raw.cooldown, at),
    modifier: raw.modifier,
    start: raw.start,
    end: raw.end,
    at,
    nextBonus: nextBonus(raw.current),
  };
}

interface ChainRow {
  faction_id: number;
  current: number;
  max: number;
  timeout: number;
  cooldown: number;
  modifier: number;
  started_at: number;
  ended_at: number;
  read_at: number;
}

function toChain(r: ChainRow): Chain {
  return {
    factionId: r.faction_id,
    current: r.current,
    max: r.max,
    timeout: r.timeout,
    cooldown: r.cooldown,
    // Stored as `real`: 1.1 comes back as 1.100000023841858.
    modifier: Number(Number(r.modifier).toPrecision(6)),
    start: Number(r.started_at),
    end: Number(r.ended_at),
    at: Number(r.read_at),
    nextBonus: nextBonus(r.current),
  };
}

const COLUMNS = 'faction_id, current, max, timeout, cooldown, modifier, started_at, ended_at, read_at';

/** The faction's chain as last read from Torn, or null before the first read (the snapshot's `chain`). */
export async function readChain(q: Queryable, factionId: number): Promise<Chain | null> {
  const r = await q.query<ChainRow>(`select ${COLUMNS} from chains where faction_id = $1`, [factionId]);
  return r.rows[0] ? toChain(r.rows[0]) : null;
}

function deadline(left: number, at: number): number | null {
  return left > 0 ? at + left : null;
}

function movedDeadline(a: number | null, b: number | null): boolean {
  return a === null || b === null ? a !== b : Math.abs(a - b) > DEADLINE_TOLERANCE_S;
}

/** Whether members would see a difference between the stored chain and a new reading. */
function visiblyChanged(old: Chain, now: Chain): boolean {
  return (
    old.current !== now.current ||
    old.max !== now.max ||
    old.start !== now.start ||
    Math.abs(old.modifier - now.modifier) > 1e-4 ||
    movedDeadline(deadline(old.timeout, old.at), deadline(now.timeout, now.at)) ||
    movedDeadline(deadline(old.cooldown, old.at), deadline(now.cooldown, now.at))
  );
}

/**
 * Stores a chain reading and logs a `chain` event when members would see it differ from the last
 * one (or it is the first). A reading that only counted down is not written either: the stored
 * `at + timeout` is the same deadline. Returns whether an event was logged.
 */
export async function recordChain(tx: Queryable, chain: Chain): Promise<boolean> {
  if (chain.current >= CHAIN_BREAK_DISCORD_FROM && chain.timeout > 0 && chain.timeout <= CHAIN_BREAK_DISCORD_S) {
    // Once per chain and count: a chain saved by a hit and low again later is told again. The enemy's
    // chain growing (issue 21, item 2) is queued the same way where it is recorded, with
    // enemyChainMessage and a key like `enemy-chain:<start>:<size passed>`.
    await queueDiscord(tx, chain.factionId, `chain:${chain.start}:${chain.current}`, chainBreakingMessage(chain.current, chain.timeout));
  }
  const r = await tx.query<ChainRow>(`select ${COLUMNS} from chains where faction_id = $1 for update`, [chain.factionId]);
  const old = r.rows[0] ? toChain(r.rows[0]) : null;
  if (old && !visiblyChanged(old, chain)) return false;
  await tx.query(
    `insert into chains (faction_id, current, max, timeout, cooldown, modifier, started_at, ended_at, read_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     on conflict (faction_id) do update
       set current = excluded.current, max = excluded.max, timeout = excluded.timeout, cooldown = excluded.cooldown,
           modifier = excluded.modifier, started_at = excluded.started_at, ended_at = excluded.ended_at,
           read_at = excluded.read_at, updated_at = now()`,
    [chain.factionId, chain.current, chain.max, chain.timeout, chain.cooldown, chain.modifier, chain.start, chain.end, chain.at],
  );
  await appendEvent(tx, chain.factionId, 'chain', { ...chain });
  return true;
}
