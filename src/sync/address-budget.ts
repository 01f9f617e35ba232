import { randomBytes } from 'node:crypto';
import type { Queryable } from '../db/database.js';
import { RequestBudget } from './request-budget.js';

/** `requests`: every Torn request; `unknown_keys`: sign-ins with a key no node holds. */
export type AddressBudgetKind = 'requests' | 'unknown_keys';

/**
 * A use is counted for its window plus this fraction of it (1.2 s of a minute). The grant is the
 * database's clock when the key is taken, but Torn counts a request when it arrives: the key's use
 * is written, then the request built and sent, later by tens of ms and, on a loaded machine, by up
 * to half a second (measured: test/sync/egress-addresses.test.ts). Without the guard, a use granted
 * at the end of one window and one granted at the start of the next can reach Torn within one of its
 * minutes, and the address goes past its budget as Torn counts it. The cost: a saturated address
 * sends its budget every 61.2 s instead of every 60 s.
 */
const ARRIVAL_GUARD = 0.02;

/** What one spend returned: whether it was granted, and the address's uses as they now stand. */
export interface AddressSpend {
  granted: boolean;
  /** Uses in the window, this one included when granted. */
  used: number;
  /** When the next use can be granted (Unix ms of this node's clock; now when it could be now). */
  availableAt: number;
}

interface SpendRow {
  granted: boolean;
  uses: string[];
  db_now: string;
}

/**
 * One egress address's Torn budget, shared by every node sending from it (TORN_EGRESS_ADDRESS), kept
 * in `torn_address_budget`: a row per address and kind holding the uses of the last window. One
 * UPDATE prunes the window, counts it and appends the new use when there is room, all under the
 * row's lock (PostgreSQL re-reads a row another transaction changed before updating it), so two
 * nodes never both take the last slot: one round trip per request. Times are the database's clock,
 * so nodes whose clocks differ still count one window.
 */
/** The one id of `#known`. */
const ADDRESS = 0;

export class AddressBudget {
  readonly address: string;
  readonly kind: AddressBudgetKind;
  readonly perWindow: number;
  readonly windowMs: number;
  /** How long a use counts: the window and the arrival guard. */
  readonly countedMs: number;
  #db: Queryable;
  #now: () => number;
  #token = `${randomBytes(6).toString('hex')}-`;
  #seq = 0;
  /** The address's uses as last read (its one id: the address), on this node's clock: the estimate between reads. */
  #known: RequestBudget;
  #readAt = 0;

  constructor(o: { db: Queryable; address: string; kind?: AddressBudgetKind; perWindow: number; windowMs?: number; now?: () => number }) {
    if (!(o.perWindow >= 1)) throw new RangeError(`perWindow must be at least 1, got ${o.perWindow}`);
    this.#db = o.db;
    this.address = o.address;
    this.kind = o.kind ?? 'requests';
    this.perWindow = o.perWindow;
    this.windowMs = o.windowMs ?? 60_000;
    this.countedMs = Math.round(this.windowMs * (1 + ARRIVAL_GUARD));
    this.#known = new RequestBudget(this.perWindow, this.countedMs);
    this.#now = o.now ?? Date.now;
  }

  /**
   * Spends one use when the window has room (always when `force`: a forced sync or a sign-in, which
   * are counted but not refused).
   */
  async spend(options: { force?: boolean } = {}): Promise<AddressSpend> {
    const token = this.#token + ++this.#seq;
    // The cut-off is the statement's start (now()), the use's time its grant (clock_timestamp()):
    // a statement that waited for the row's lock counts a little more of the past, never less.
    let r = await this.#db.query<SpendRow>(SPEND, [this.address, this.kind, this.perWindow, this.countedMs, token, options.force === true]);
    if (r.rows.length === 0) {
      await this.#db.query('insert into torn_address_budget (address, kind) values ($1, $2) on conflict do nothing', [
        this.address,
        this.kind,
      ]);
      r = await this.#db.query<SpendRow>(SPEND, [this.address, this.kind, this.perWindow, this.countedMs, token, options.force === true]);
    }
    return this.#learn(r.rows[0]);
  }

  /** Reads the address's uses now (the heartbeat does, so the estimate follows other nodes' spending). */
  async refresh(): Promise<number> {
    const r = await this.#db.query<SpendRow>(
      `select false as granted, coalesce((select uses from torn_address_budget where address = $1 and kind = $2), '{}') as uses,
              (extract(epoch from clock_timestamp()) * 1000)::bigint as db_now`,
      [this.address, this.kind],
    );
    return this.#learn(r.rows[0]).used;
  }

  /**
   * Uses this node may still expect to be granted in the window ending at `now`, from the last read
   * (this node's own spends read it too). An estimate for scheduling: the spend itself decides.
   */
  remaining(now: number = this.#now()): number {
    return Math.max(0, this.perWindow - this.used(now));
  }

  /** When the address's uses were last read (by a spend or a refresh), Unix ms; 0: never. */
  get readAt(): number {
    return this.#readAt;
  }

  /** Uses counted at `now` (in the window and its guard), as last read. */
  used(now: number = this.#now()): number {
    return this.#known.uses(ADDRESS, now).length;
  }

  /** When a use may next be granted, from the last read. */
  availableAt(now: number = this.#now()): number {
    return this.#known.availableAt(ADDRESS, now);
  }

  #learn(row: SpendRow): AddressSpend {
    // Onto this node's clock: the database's time of the answer is (about) now here.
    const shift = this.#now() - Number(row.db_now);
    // Replaced, not merged: the row holds every use, and two in one millisecond are two.
    this.#known.forget(ADDRESS);
    for (const u of row.uses) this.#known.record(ADDRESS, Number(u) + shift);
    const now = this.#now();
    this.#readAt = now;
    return { granted: row.granted, used: this.used(now), availableAt: this.availableAt(now) };
  }
}

// $1 address, $2 kind, $3 budget, $4 how long a use counts (ms: the window and its guard), $5 token, $6 force. The row subquery reads the
// row's uses once (as updated by whoever held its lock before): the window kept, then whether it has
// room. At most twice the budget is kept (the newest): whether there is room and when there will be
// depend only on the newest `budget` uses, and forced uses (10,000 sign-ins at once) must not grow
// the row without bound; past twice the budget the count shown stops growing.
const SPEND = `
  update torn_address_budget
     set (uses, last_grant) = (
           select case when k.room then k.kept || (extract(epoch from clock_timestamp()) * 1000)::bigint else k.kept end,
                  case when k.room then $5 else torn_address_budget.last_grant end
             from (select w.kept, $6 or cardinality(w.kept) < $3 as room
                     from (select array(select u from (select u from unnest(torn_address_budget.uses) u
                                                        where u > (extract(epoch from now()) * 1000)::bigint - $4
                                                        order by u desc limit 2 * $3 - 1) newest order by u) as kept) w) k)
   where address = $1 and kind = $2
  returning last_grant = $5 as granted, uses, (extract(epoch from clock_timestamp()) * 1000)::bigint as db_now`;
