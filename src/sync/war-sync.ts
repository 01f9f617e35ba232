import type { Logger } from 'pino';
import type { Database } from '../db/database.js';
import { isDatabaseUnavailable } from '../db/unavailable.js';
import { toError } from '../errors.js';
import { NO_SYNC_METRICS, type SyncMetrics } from './sync-metrics.js';
import { headSeq } from '../realtime/event-log.js';
import {
  isGlobalBackoff,
  isTornApiError,
  toMembers,
  tornClock,
  type FactionOngoingChain,
  type Member,
  type TornApiError,
  type TornClient,
} from '../torn/index.js';
import { refreshSummaries } from '../war/summary.js';
import { deletePlayerKeys } from '../auth/keys.js';
import { deletePlayerSessions } from '../auth/sessions.js';
import { applyEnemyMembers } from '../war/targets.js';
import { chainFromTorn, recordChain } from '../war/chain.js';
import { announceWarStart, latestWar, openWar, rankedWarReport, recordRankedWar } from '../war/wars.js';
import { Backoff, backoffDelay } from '../backoff.js';
import type { KeyPool, PooledKey } from './key-pool.js';
import { PollerLocks } from './poller-lock.js';

export interface WarSyncOptions {
  db: Database;
  torn: TornClient;
  keys: KeyPool;
  log: Logger;
  metrics?: SyncMetrics;
  warCheckIntervalMs: number;
  targetStatusRefreshIntervalMs: number;
  ownFactionRefreshIntervalMs: number;
  /** First wait of the node-wide back-off on Torn errors 8, 9, 17, 24. @default targetStatusRefreshIntervalMs */
  backoffBaseMs?: number;
  /** @default 300000 (5 minutes) */
  backoffMaxMs?: number;
  /** Extra tries of a request that timed out or met a network error, after a jittered pause. @default 2 */
  networkRetries?: number;
  /** How often this node asks Torn for its time (`/v2/torn/timestamp`). @default 300000 (5 minutes) */
  clockIntervalMs?: number;
  /** An upcoming war's enemy is first polled this long before its start. @default 60000 */
  warLeadMs?: number;
}

/**
 * Torn caches an answer ~29 s; a poll more frequent than that asks for fresh data with Torn's
 * documented `timestamp` parameter (and so does a forced sync: someone asked to look now). Never
 * by switching keys: Torn's cache is per selection and id, whoever asks.
 */
const TORN_CACHE_MS = 29_000;

interface FactionJobs {
  id: number;
  nextWarCheck: number;
  nextTargets: number;
  nextOwn: number;
  /** Our chain's next read; only while the enemy is polled (a war about to start or running). */
  nextChain: number;
  /** The last target refresh polled the enemy: the war is on (or starts within the lead), so our chain matters. */
  warPolling: boolean;
  /** Our chain's count as the ranked war last showed it (the enemy's answer carries it); null: not known. */
  warChain: number | null;
  /** Our chain was running (or cooling down) when last read, or has not been read yet. */
  chainLive: boolean;
  /** A node that does not hold the faction's lock tries again at this time. */
  nextLockTry: number;
  /** When a request of this faction last got a key: the node's budget goes to those served longest ago. */
  servedAt: number;
  busy: boolean;
  /** The upcoming war this node saw before its start: it announces the start (-1: none). */
  upcomingWarId: number;
  /** The faction's event head when its summary was last refreshed (-1: not yet on this node). */
  summarySeq: number;
}

/** How one job went: `ran` (done or failed: wait an interval), `wait` (no key yet: retry at `retryAt`), `backoff` (stop everything). */
type JobOutcome = { kind: 'ran'; changed: boolean } | { kind: 'wait'; retryAt: number } | { kind: 'backoff' };

/**
 * Polls Torn once per faction (not once per member) and writes only what changed: the faction's
 * ranked war every warCheckInterval, the enemy's members (with the war's scores) every
 * targetStatusRefreshInterval from shortly before the war's start to its end, the own faction every
 * ownFactionRefreshInterval, and meanwhile our chain: with the member list, and while it runs every
 * targetStatusRefreshInterval. One timer drives every faction; across nodes, only the holder of a
 * faction's advisory lock polls it. Every node keeps Torn's clock (`tornClock`) for itself.
 */
export class WarSync {
  #o: WarSyncOptions;
  #metrics: SyncMetrics;
  #locks: PollerLocks;
  #factions = new Map<number, FactionJobs>();
  #timer: NodeJS.Timeout | undefined;
  #nextDiscovery = 0;
  #running = new Set<Promise<void>>();
  #stopped = false;
  /**
   * One back-off for the whole node: Torn blocks an IP (8), or is down for everyone (9, 17, 24),
   * and every faction polled from here would only make it worse or learn the same.
   */
  #backoff: Backoff;
  /** When the back-off last grew: answers to requests sent before then were already counted. */
  #backoffGrewAt = 0;
  /** Once the wait is over, one request probes Torn while the others hold. */
  #probing = false;
  #nextClockSync = 0;
  #clockBusy = false;

  constructor(options: WarSyncOptions) {
    this.#o = options;
    this.#metrics = options.metrics ?? NO_SYNC_METRICS;
    this.#locks = new PollerLocks(options.db, options.log);
    this.#backoff = new Backoff({
      baseMs: options.backoffBaseMs ?? options.targetStatusRefreshIntervalMs,
      maxMs: options.backoffMaxMs ?? 300_000,
    });
  }

  /** The factions whose lock this node holds (so which it polls). */
  get polling(): ReadonlySet<number> {
    return this.#locks.held;
  }

  start(): void {
    this.#stopped = false;
    const tickMs = Math.max(25, Math.min(250, this.#o.targetStatusRefreshIntervalMs / 8));
    this.#timer = setInterval(() => this.#tick(), tickMs);
    this.#timer.unref();
    this.#tick();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#timer);
    this.#timer = undefined;
    await Promise.allSettled([...this.#running]);
    await this.#locks.close();
  }

  /**
   * A member of this faction just signed in: a faction new to this node is looked at now rather
   * than at the next discovery. A known one changes nothing: Torn requests stay per faction, not
   * per member (25 sign-ins must not be 25 war checks).
   */
  poke(factionId: number): void {
    if (this.#factions.has(factionId)) return;
    this.#jobs(factionId);
    this.#tick();
  }

  /**
   * Runs every job of one faction now, in order (tests and the demo call it directly). `force` runs
   * them whether due or not, and past the key budget (uses still count); the lock is still required.
   */
  async syncFaction(factionId: number, force = false): Promise<void> {
    const jobs = this.#jobs(factionId);
    while (jobs.busy) await new Promise((r) => setTimeout(r, 10));
    await this.#runDue(jobs, force);
  }

  #jobs(factionId: number): FactionJobs {
    let jobs = this.#factions.get(factionId);
    if (!jobs) {
      jobs = {
        id: factionId,
        nextWarCheck: 0,
        nextTargets: 0,
        nextOwn: 0,
        nextChain: 0,
        warPolling: false,
        warChain: null,
        chainLive: true,
        nextLockTry: 0,
        servedAt: 0,
        busy: false,
        upcomingWarId: -1,
        summarySeq: -1,
      };
      this.#factions.set(factionId, jobs);
      if (this.#backoff.level > 0) this.#metrics.backoff(factionId, this.#backoff.level, this.#backoff.until - Date.now());
    }
    return jobs;
  }

  #tick(): void {
    if (!this.#timer) return;
    const now = Date.now();
    if (now >= this.#nextDiscovery) {
      this.#nextDiscovery = now + Math.min(this.#o.warCheckIntervalMs, 60_000);
      this.#track(this.#discover());
    }
    if (this.#backoff.blocked(now)) return;
    if (now >= this.#nextClockSync && !this.#clockBusy && this.#factions.size > 0) this.#track(this.#clockDue());
    const due: FactionJobs[] = [];
    for (const jobs of this.#factions.values()) {
      if (jobs.busy || now < jobs.nextLockTry) continue;
      const chainDue = chainWanted(jobs) && now >= jobs.nextChain;
      if (now >= jobs.nextWarCheck || now >= jobs.nextTargets || now >= jobs.nextOwn || chainDue) due.push(jobs);
    }
    // When the node's Torn budget is the limit (many factions on one node), the requests it has left
    // go to the factions served longest ago, one run each: every faction gets its turn, none waits
    // on a faction that merely asked first, and no run starts only to find the budget spent.
    due.sort((a, b) => a.servedAt - b.servedAt);
    let slots = this.#o.keys.nodeRemaining(now);
    for (const jobs of due) {
      if (slots <= 0) break;
      slots--;
      this.#track(this.#runDue(jobs, false));
    }
  }

  async #clockDue(): Promise<void> {
    this.#clockBusy = true;
    try {
      const learned = await this.syncClock();
      // Not learned (no key with budget left, Torn refused): try again well before the interval.
      this.#nextClockSync =
        Date.now() + (learned ? (this.#o.clockIntervalMs ?? 300_000) : Math.min(30_000, this.#o.clockIntervalMs ?? 300_000));
    } catch (e) {
      this.#nextClockSync = Date.now() + 30_000;
      this.#o.log[isDatabaseUnavailable(e) ? 'warn' : 'error']({ err: toError(e) }, "could not learn Torn's clock");
    } finally {
      this.#clockBusy = false;
    }
  }

  /**
   * Asks Torn for its time with a key of one of the factions this node knows (`factionId` first),
   * and the database for its own, and keeps the offsets in `tornClock`. Every node does it, polling
   * or not: each serves snapshots. Returns whether Torn answered.
   */
  async syncClock(factionId?: number): Promise<boolean> {
    const ids = [...new Set([...(factionId === undefined ? [] : [factionId]), ...this.#factions.keys()])];
    for (const id of ids) {
      const r = await this.#withKey(id, false, async (key) => {
        const sentAt = Date.now();
        const answer = await this.#o.torn.tornTimestamp(key.apiKey);
        return { torn: answer.timestamp, sentAt, receivedAt: Date.now() };
      });
      if (!r.ok) {
        if (r.outcome.kind === 'backoff') return false;
        continue;
      }
      const before = tornClock.offsetMs;
      tornClock.learnTorn(r.value.torn, r.value.sentAt, r.value.receivedAt);
      const sentAt = Date.now();
      const db = await this.#o.db.query<{ ms: number }>('select extract(epoch from clock_timestamp()) * 1000 as ms');
      tornClock.learnDatabase(Number(db.rows[0].ms), sentAt, Date.now());
      if (Math.abs(tornClock.offsetMs - before) >= 2000) {
        this.#o.log.info(
          { offsetMs: tornClock.offsetMs, databaseOffsetMs: tornClock.databaseOffsetMs },
          "Torn's clock differs from ours: times are shown on Torn's",
        );
      }
      return true;
    }
    return false;
  }

  #track(p: Promise<void>): void {
    this.#running.add(p);
    p.finally(() => this.#running.delete(p)).catch(() => {});
  }

  /** Factions with at least one signed-in member are the ones we poll for. */
  async #discover(): Promise<void> {
    try {
      const r = await this.#o.db.query<{ faction_id: number }>('select distinct faction_id from sessions where expires_at > now()');
      const live = new Set(r.rows.map((row) => row.faction_id));
      for (const id of live) this.#jobs(id);
      for (const [id, jobs] of this.#factions) {
        if (live.has(id) || jobs.busy) continue;
        this.#factions.delete(id);
        await this.#locks.release(id);
        this.#metrics.forget(id);
      }
    } catch (e) {
      this.#o.log.warn({ err: toError(e) }, 'war sync could not list factions');
    }
  }

  /** The next due time of a job that just ran: fixed rate (no drift), skipping what was missed. */
  #advance(scheduled: number, interval: number, now: number): number {
    const next = scheduled + interval;
    return next > now ? next : now + interval;
  }

  async #runDue(jobs: FactionJobs, force: boolean): Promise<void> {
    if (jobs.busy || this.#stopped) return;
    jobs.busy = true;
    try {
      const now = Date.now();
      const held = await this.#locks.hold(jobs.id);
      this.#metrics.polling(jobs.id, held);
      if (!held) {
        // Another node polls this faction; try again within one interval, so that if it dies we
        // take over within two.
        jobs.nextLockTry = now + Math.min(this.#o.targetStatusRefreshIntervalMs, this.#o.warCheckIntervalMs);
        return;
      }
      if (!force && this.#backoff.blocked(now)) return;
      const o = this.#o;
      let changed = false;
      const steps: [keyof Pick<FactionJobs, 'nextWarCheck' | 'nextTargets'>, number, () => Promise<JobOutcome>][] = [
        ['nextWarCheck', o.warCheckIntervalMs, () => this.#checkWar(jobs, force)],
        ['nextTargets', o.targetStatusRefreshIntervalMs, () => this.#refreshTargets(jobs, force)],
      ];
      for (const [field, interval, run] of steps) {
        if (!force && now < jobs[field]) continue;
        const out = await run();
        if (out.kind === 'backoff') return;
        if (out.kind === 'wait') {
          jobs[field] = Math.max(out.retryAt, now + 25);
          continue;
        }
        if (out.changed) changed = true;
        jobs[field] = this.#advance(jobs[field], interval, now);
      }
      if ((await this.#refreshOwnSide(jobs, force, now)).kind === 'backoff') return;
      // Calls change the summary too (open calls), and they are not ours: refresh when the
      // faction's log moved since our last refresh, at most once per run.
      if (!changed && jobs.summarySeq !== (await headSeq(o.db, jobs.id))) await this.#refreshSummary(jobs);
    } catch (e) {
      // A database outage is not a bug: the next run retries, and the outage is logged where connections are lost.
      this.#o.log[isDatabaseUnavailable(e) ? 'warn' : 'error']({ factionId: jobs.id, err: toError(e) }, 'war sync run failed');
    } finally {
      jobs.busy = false;
    }
  }

  /**
   * Runs one Torn request with a key from the pool: network errors and timeouts are retried with
   * jitter; a dead key is disabled and a rate-limited player's keys rest (the next run uses
   * another); errors 8, 9, 17, 24 back the whole node off. Backing off, once the wait is over, one
   * request probes Torn while the others hold; its answer ends the back-off or extends it.
   */
  async #withKey<T>(
    factionId: number,
    force: boolean,
    request: (key: PooledKey) => Promise<T>,
  ): Promise<{ ok: true; value: T } | { ok: false; outcome: JobOutcome }> {
    const retries = this.#o.networkRetries ?? 2;
    for (let attempt = 0; ; attempt++) {
      let probe = false;
      if (this.#backoff.level > 0) {
        if (!force && (this.#probing || this.#backoff.blocked(Date.now()))) return { ok: false, outcome: { kind: 'backoff' } };
        probe = !this.#probing;
        if (probe) this.#probing = true;
      }
      try {
        const taken = await this.#o.keys.take(factionId, { ignoreBudget: force });
        if (!taken.key) {
          // No member key at all: look again an interval later; all keys spent: when one frees up.
          return {
            ok: false,
            outcome: taken.reason === 'budget' ? { kind: 'wait', retryAt: taken.retryAt } : { kind: 'ran', changed: false },
          };
        }
        const key = taken.key;
        const served = this.#factions.get(factionId);
        if (served) served.servedAt = Date.now();
        // Another faction's request may have met the block while this one waited for its key.
        if (!force && !probe && this.#backoff.blocked(Date.now())) return { ok: false, outcome: { kind: 'backoff' } };
        const sentAt = Date.now();
        try {
          const value = await request(key);
          if (this.#backoff.level > 0 && sentAt >= this.#backoffGrewAt) {
            this.#o.log.info({ factionId, level: this.#backoff.level }, 'Torn answers again: back-off over, every faction resumes');
            this.#backoff.succeed();
            this.#reportBackoff();
          }
          return { ok: true, value };
        } catch (e) {
          if (!isTornApiError(e)) throw e;
          const outcome = await this.#tornFailed(factionId, key, e, sentAt);
          if (outcome) return { ok: false, outcome };
          if (attempt >= retries || this.#stopped) return { ok: false, outcome: { kind: 'ran', changed: false } };
        }
      } finally {
        if (probe) this.#probing = false;
      }
      await new Promise((r) => setTimeout(r, backoffDelay(attempt + 1, { baseMs: 100, maxMs: 2000 })));
    }
  }

  /** What a Torn error means for the faction (and the node); null: worth retrying now (timeout, network, 5xx). */
  async #tornFailed(factionId: number, key: PooledKey, e: TornApiError, sentAt: number): Promise<JobOutcome | null> {
    const log = this.#o.log;
    if (isGlobalBackoff(e.kind)) {
      // Requests in flight when the first error came back report the same block: it grows once.
      if (sentAt >= this.#backoffGrewAt) {
        const now = Date.now();
        const wait = this.#backoff.fail(now);
        this.#backoffGrewAt = now;
        this.#reportBackoff();
        log.warn(
          { factionId, code: e.code, kind: e.kind, waitMs: wait, level: this.#backoff.level },
          `${e.message}: every faction on this node backs off`,
        );
      }
      return { kind: 'backoff' };
    }
    const action = await this.#o.keys.reportError(key, e);
    if (action) {
      this.#metrics.keyAction(action);
      log.warn(
        { factionId, playerId: key.playerId, code: e.code, kind: e.kind },
        `${e.message}: ${action === 'rested' ? "the player's keys rest" : 'key disabled'}`,
      );
      return { kind: 'ran', changed: false };
    }
    if (e.kind === 'timeout' || e.kind === 'network' || e.kind === 'temporary') {
      log.warn({ factionId, kind: e.kind }, e.message);
      return null;
    }
    log.warn({ factionId, code: e.code, kind: e.kind }, e.message);
    return { kind: 'ran', changed: false };
  }

  /** Every faction this node knows shows the node's back-off. */
  #reportBackoff(): void {
    const remaining = Math.max(0, this.#backoff.until - Date.now());
    for (const id of this.#factions.keys()) this.#metrics.backoff(id, this.#backoff.level, remaining);
  }

  // By faction id, so a key whose owner just left (and now sees another faction's wars) cannot end ours.
  async #checkWar(jobs: FactionJobs, force: boolean): Promise<JobOutcome> {
    const fresh = force || this.#o.warCheckIntervalMs < TORN_CACHE_MS;
    const r = await this.#withKey(jobs.id, force, (key) => this.#o.torn.factionWars(key.apiKey, jobs.id, { fresh }));
    if (!r.ok) return r.outcome;
    const ranked = r.value.wars.ranked;
    const report = ranked ? rankedWarReport(ranked, tornClock.now()) : null;
    const changed = await this.#o.db.transaction(async (tx) => {
      const open = await openWar(tx, jobs.id);
      const result = await recordRankedWar(tx, jobs.id, report);
      if (!result.changed) return false;
      // A war that just appeared has no targets yet: its first summary comes with them.
      const wars = new Set<number>();
      if (open) wars.add(open.id);
      if (result.war && result.changed !== 'started' && result.changed !== 'upcoming') wars.add(result.war.id);
      if (wars.size) {
        await refreshSummaries(tx, jobs.id, [...wars]);
        jobs.summarySeq = await headSeq(tx, jobs.id);
      }
      if (result.changed !== 'scores') {
        this.#o.log.info({ factionId: jobs.id, warId: result.war?.id, start: result.war?.start }, `ranked war ${result.changed}`);
      }
      return true;
    });
    // Seen before its start: this node tells members when it starts.
    if (report && report.end === null && report.start > tornClock.now()) jobs.upcomingWarId = report.id;
    // A war that just appeared wants its targets now (or the time to poll them worked out), not an interval later.
    if (changed && report && report.end === null) jobs.nextTargets = 0;
    return { kind: 'ran', changed };
  }

  async #refreshTargets(jobs: FactionJobs, force: boolean): Promise<JobOutcome> {
    // No open war, no enemy to poll, and no key spent on it.
    const war = await openWar(this.#o.db, jobs.id);
    jobs.warPolling = false;
    if (!war) return { kind: 'ran', changed: false };
    // Torn lists a matched war hours before it starts, when its enemy has nothing to show yet: their
    // polling begins shortly before the start. A war check may move the start: look again by then.
    const pollFromMs = war.start * 1000 - (this.#o.warLeadMs ?? 60_000);
    if (tornClock.nowMs() < pollFromMs) {
      return { kind: 'wait', retryAt: Math.min(tornClock.toLocalMs(pollFromMs), Date.now() + this.#o.warCheckIntervalMs) };
    }
    jobs.warPolling = true;
    const fresh = force || this.#o.targetStatusRefreshIntervalMs < TORN_CACHE_MS;
    // Members and wars in one answer: the war's scores follow at this interval for no extra request.
    const r = await this.#withKey(jobs.id, force, (key) => this.#o.torn.factionMembersAndWars(key.apiKey, war.enemy.id, { fresh }));
    if (!r.ok) return r.outcome;
    const members = toMembers(r.value);
    const ranked = r.value.wars.ranked;
    const tornNow = tornClock.now();
    // The enemy's side of our war; any other war of theirs is the war check's business.
    const report = ranked && ranked.war_id === war.id ? rankedWarReport(ranked, tornNow) : null;
    jobs.warChain = report ? (ranked?.factions.find((side) => side.id === jobs.id)?.chain ?? null) : null;
    const starts = jobs.upcomingWarId === war.id && war.start <= tornNow;
    const changed = await this.#o.db.transaction(async (tx) => {
      const recorded = report ? await recordRankedWar(tx, jobs.id, report) : null;
      let moved = recorded?.changed === 'scores' || recorded?.changed === 'ended';
      if (recorded?.changed === 'ended') {
        jobs.warPolling = false;
        this.#o.log.info({ factionId: jobs.id, warId: war.id }, 'ranked war ended');
      } else {
        if (starts) {
          await announceWarStart(tx, recorded?.war ?? war);
          this.#o.log.info({ factionId: jobs.id, warId: war.id }, 'ranked war started');
          moved = true;
        }
        if ((await applyEnemyMembers(tx, jobs.id, war.id, members, tornNow)) > 0) moved = true;
      }
      if (!moved && jobs.summarySeq === (await headSeq(tx, jobs.id))) return false;
      // In the same transaction: the view never disagrees with the targets it summarizes.
      await refreshSummaries(tx, jobs.id, [war.id]);
      jobs.summarySeq = await headSeq(tx, jobs.id);
      return moved;
    });
    if (starts) jobs.upcomingWarId = -1;
    return { kind: 'ran', changed };
  }

  /**
   * Our own side: the member list every ownFactionRefreshInterval and, while the enemy is polled,
   * our chain: with the member list, in one request (`selections=members,chain`, counted in the key
   * budget like any other), and while it runs (chainWanted) every targetStatusRefreshInterval. A key that may not read the chain (a Custom key without it)
   * is not an error: the members are read alone and the chain waits for another key.
   */
  async #refreshOwnSide(jobs: FactionJobs, force: boolean, now: number): Promise<JobOutcome> {
    const o = this.#o;
    const membersDue = force || now >= jobs.nextOwn;
    // An idle chain is read with the member list only; a running one at the enemy's pace.
    const chainDue = jobs.warPolling && (membersDue || (chainWanted(jobs) && (force || now >= jobs.nextChain)));
    if (!membersDue && !chainDue) return { kind: 'ran', changed: false };
    const factionId = jobs.id;
    // By id, not "the key owner's faction": the key may belong to the very member who just left.
    const fresh = force || (chainDue ? o.targetStatusRefreshIntervalMs : o.ownFactionRefreshIntervalMs) < TORN_CACHE_MS;
    const r = await this.#withKey(
      factionId,
      force,
      async (key): Promise<{ members: Member[] | null; chain: FactionOngoingChain | null }> => {
        if (!chainDue) return { members: toMembers(await o.torn.factionMembers(key.apiKey, factionId, { fresh })), chain: null };
        if (!membersDue) {
          const answer = await withoutChainAccess(o.torn.factionChain(key.apiKey, factionId, { fresh }));
          return { members: null, chain: answer?.chain ?? null };
        }
        const answer = await withoutChainAccess(o.torn.factionMembersAndChain(key.apiKey, factionId, { fresh }));
        return answer === null ? { members: null, chain: null } : { members: toMembers(answer), chain: answer.chain };
      },
    );
    let out: JobOutcome = r.ok ? { kind: 'ran', changed: false } : r.outcome;
    let members = r.ok ? r.value.members : null;
    const chain = r.ok ? r.value.chain : null;
    if (r.ok && chain === null && chainDue) {
      o.log.debug({ factionId }, 'this key may not read the chain: the chain waits for another key');
      if (membersDue) {
        const alone = await this.#withKey(factionId, force, async (key) =>
          toMembers(await o.torn.factionMembers(key.apiKey, factionId, { fresh })),
        );
        members = alone.ok ? alone.value : null;
        if (!alone.ok) out = alone.outcome;
      }
    }
    if (chain) {
      const reading = chainFromTorn(factionId, chain, tornClock.now());
      jobs.chainLive = reading.current > 0 || reading.cooldown > 0;
      // Not a `changed`: that means "summaries refreshed", and the chain is not in the summary.
      await o.db.transaction((tx) => recordChain(tx, reading));
    }
    if (members) await this.#applyOwnMembers(factionId, members);
    if (out.kind === 'backoff') return out;
    for (const [due, field, interval] of [
      [membersDue, 'nextOwn', o.ownFactionRefreshIntervalMs],
      [chainDue, 'nextChain', o.targetStatusRefreshIntervalMs],
    ] as const) {
      if (!due) continue;
      jobs[field] = out.kind === 'wait' ? Math.max(out.retryAt, now + 25) : this.#advance(jobs[field], interval, now);
    }
    return out;
  }

  /**
   * Keeps members' names and faction positions current; a member who left the faction loses their
   * sessions and key. A list that would remove everyone, or more than half of the members we know
   * at once, is more likely Torn answering wrong than a faction emptying: it removes nobody (and says so).
   */
  async #applyOwnMembers(factionId: number, members: readonly Member[]): Promise<void> {
    const listed = new Set(members.map((m) => m.id));
    await this.#o.db.transaction(async (tx) => {
      for (const m of members) {
        await tx.query(
          `update players set name = $2, level = $3, position = coalesce($4, position), updated_at = now()
            where id = $1 and (name <> $2 or level is distinct from $3 or ($4::text is not null and position is distinct from $4))`,
          [m.id, m.name, m.level, m.position],
        );
      }
      const known = await tx.query<{ id: number }>('select id from players where faction_id = $1', [factionId]);
      const departed = known.rows.map((row) => row.id).filter((id) => !listed.has(id));
      if (departed.length === 0) return;
      // One departure is the everyday case, and a wrong one costs its member a sign-in; only a
      // faction with a single known member would otherwise never see that member go.
      if (members.length === 0 || (departed.length > 1 && departed.length * 2 > known.rows.length)) {
        this.#o.log.warn(
          { factionId, listed: members.length, known: known.rows.length, departed: departed.length },
          members.length === 0
            ? 'Torn listed no member of our own faction: not trusted, nobody removed'
            : "Torn's member list drops more than half of the members we know at once: not trusted, nobody removed",
        );
        return;
      }
      const gone = await tx.query<{ id: number }>(
        'update players set faction_id = null, updated_at = now() where faction_id = $1 and id = any($2::int[]) returning id',
        [factionId, departed],
      );
      for (const { id } of gone.rows) {
        await deletePlayerSessions(tx, id);
        await deletePlayerKeys(tx, id);
        this.#o.log.info({ factionId, playerId: id }, 'member left the faction: sessions and key removed');
      }
    });
  }

  async #refreshSummary(jobs: FactionJobs): Promise<void> {
    await this.#o.db.transaction(async (tx) => {
      const war = await latestWar(tx, jobs.id);
      if (war) await refreshSummaries(tx, jobs.id, [war.id]);
      jobs.summarySeq = await headSeq(tx, jobs.id);
    });
  }
}

/**
 * Our chain is worth a request of its own every target interval: the war is polled, and the chain
 * runs (or cools down), or the war's own answer shows it counting. An idle chain costs nothing extra:
 * it is read with the member list, and the first hit shows in the war's answer.
 */
function chainWanted(jobs: FactionJobs): boolean {
  return jobs.warPolling && (jobs.chainLive || jobs.warChain !== 0);
}

/** Torn's answer, or null when the key may not read the chain (error 16): not the key's fault, nor Torn's. */
async function withoutChainAccess<T>(request: Promise<T>): Promise<T | null> {
  try {
    return await request;
  } catch (e) {
    if (isTornApiError(e) && e.kind === 'access_level') return null;
    throw e;
  }
}
