import type { Logger } from 'pino';
import type { Database } from '../db/database.js';
import { toError } from '../errors.js';
import { NO_SYNC_METRICS, type SyncMetrics } from './sync-metrics.js';
import { headSeq } from '../realtime/event-log.js';
import { isGlobalBackoff, isTornApiError, toMembers, type TornApiError, type TornClient } from '../torn/index.js';
import { refreshSummaries } from '../war/summary.js';
import { deletePlayerKeys } from '../auth/keys.js';
import { deletePlayerSessions } from '../auth/sessions.js';
import { applyEnemyMembers } from '../war/targets.js';
import { latestWar, openWar, recordRankedWar, type RankedWarReport } from '../war/wars.js';
import { Backoff, retryDelay } from './backoff.js';
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
  /** First wait of the faction-wide back-off on Torn errors 8, 9, 17, 24. @default targetStatusRefreshIntervalMs */
  backoffBaseMs?: number;
  /** @default 300000 (5 minutes) */
  backoffMaxMs?: number;
  /** Extra tries of a request that timed out or met a network error, after a jittered pause. @default 2 */
  networkRetries?: number;
}

/**
 * Torn caches an answer ~29 s; a poll more frequent than that asks for fresh data with Torn's
 * documented `timestamp` parameter (and so does a forced sync: someone asked to look now). Never
 * by switching keys: Torn's cache is per selection and id, whoever asks.
 */
export const TORN_CACHE_MS = 29_000;

interface FactionJobs {
  id: number;
  nextWarCheck: number;
  nextTargets: number;
  nextOwn: number;
  /** A node that does not hold the faction's lock tries again at this time. */
  nextLockTry: number;
  busy: boolean;
  backoff: Backoff;
  /** The faction's event head when its summary was last refreshed (-1: not yet on this node). */
  summarySeq: number;
}

/** How one job went: `ran` (done or failed: wait an interval), `wait` (no key yet: retry at `retryAt`), `backoff` (stop everything). */
type JobOutcome = { kind: 'ran'; changed: boolean } | { kind: 'wait'; retryAt: number } | { kind: 'backoff' };

/**
 * Polls Torn once per faction (not once per member) and writes only what changed: the faction's
 * ranked war every warCheckInterval, the enemy's members every targetStatusRefreshInterval while
 * a war is open, the own faction every ownFactionRefreshInterval. One timer drives every faction;
 * across nodes, only the holder of a faction's advisory lock polls it.
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

  constructor(options: WarSyncOptions) {
    this.#o = options;
    this.#metrics = options.metrics ?? NO_SYNC_METRICS;
    this.#locks = new PollerLocks(options.db, options.log);
  }

  /** The factions whose lock this node holds (so which it polls). */
  get polling(): ReadonlySet<number> {
    return this.#locks.held;
  }

  /** Backend pid of the lock connection (tests terminate it to simulate a dying node). */
  get lockPid(): number | null {
    return this.#locks.pid;
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
        nextLockTry: 0,
        busy: false,
        backoff: new Backoff(this.#o.backoffBaseMs ?? this.#o.targetStatusRefreshIntervalMs, this.#o.backoffMaxMs ?? 300_000),
        summarySeq: -1,
      };
      this.#factions.set(factionId, jobs);
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
    for (const jobs of this.#factions.values()) {
      if (jobs.busy) continue;
      if (now < jobs.nextLockTry || jobs.backoff.blocked(now)) continue;
      if (now >= jobs.nextWarCheck || now >= jobs.nextTargets || now >= jobs.nextOwn) this.#track(this.#runDue(jobs, false));
    }
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
      if (!force && jobs.backoff.blocked(now)) return;
      const o = this.#o;
      let changed = false;
      const steps: [keyof Pick<FactionJobs, 'nextWarCheck' | 'nextTargets' | 'nextOwn'>, number, () => Promise<JobOutcome>][] = [
        ['nextWarCheck', o.warCheckIntervalMs, () => this.#checkWar(jobs, force)],
        ['nextTargets', o.targetStatusRefreshIntervalMs, () => this.#refreshTargets(jobs, force)],
        ['nextOwn', o.ownFactionRefreshIntervalMs, () => this.#refreshOwnFaction(jobs, force)],
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
      // Calls change the summary too (open calls), and they are not ours: refresh when the
      // faction's log moved since our last refresh, at most once per run.
      if (!changed && jobs.summarySeq !== (await headSeq(o.db, jobs.id))) await this.#refreshSummary(jobs);
    } catch (e) {
      this.#o.log.error({ factionId: jobs.id, err: toError(e) }, 'war sync run failed');
    } finally {
      jobs.busy = false;
    }
  }

  /**
   * Runs one Torn request with a key from the pool: network errors and timeouts are retried with
   * jitter; a dead key is disabled and a rate-limited one rests (the next run uses another);
   * errors 8, 9, 17, 24 back the whole faction off.
   */
  async #withKey<T>(
    jobs: FactionJobs,
    force: boolean,
    request: (key: PooledKey) => Promise<T>,
  ): Promise<{ ok: true; value: T } | { ok: false; outcome: JobOutcome }> {
    const retries = this.#o.networkRetries ?? 2;
    for (let attempt = 0; ; attempt++) {
      const taken = await this.#o.keys.take(jobs.id, { ignoreBudget: force });
      if (!taken.key) {
        // No member key at all: look again an interval later; all keys spent: when one frees up.
        return {
          ok: false,
          outcome: taken.reason === 'budget' ? { kind: 'wait', retryAt: taken.retryAt } : { kind: 'ran', changed: false },
        };
      }
      const key = taken.key;
      try {
        const value = await request(key);
        if (jobs.backoff.level > 0) this.#o.log.info({ factionId: jobs.id }, 'Torn answers again: back-off over');
        jobs.backoff.succeed();
        this.#metrics.backoff(jobs.id, 0, 0);
        return { ok: true, value };
      } catch (e) {
        if (!isTornApiError(e)) throw e;
        const outcome = await this.#tornFailed(jobs, key, e);
        if (outcome) return { ok: false, outcome };
        if (attempt >= retries || this.#stopped) return { ok: false, outcome: { kind: 'ran', changed: false } };
        await new Promise((r) => setTimeout(r, retryDelay(attempt + 1)));
      }
    }
  }

  /** What a Torn error means for the faction; null: worth retrying now (timeout, network, 5xx). */
  async #tornFailed(jobs: FactionJobs, key: PooledKey, e: TornApiError): Promise<JobOutcome | null> {
    const log = this.#o.log;
    if (isGlobalBackoff(e.kind)) {
      const now = Date.now();
      const wait = jobs.backoff.fail(now);
      this.#metrics.backoff(jobs.id, jobs.backoff.level, wait);
      log.warn(
        { factionId: jobs.id, code: e.code, kind: e.kind, waitMs: wait, level: jobs.backoff.level },
        `${e.message}: every request of the faction backs off`,
      );
      return { kind: 'backoff' };
    }
    const action = await this.#o.keys.reportError(key, e);
    if (action) {
      this.#metrics.keyAction(action);
      log.warn({ factionId: jobs.id, playerId: key.playerId, code: e.code, kind: e.kind }, `${e.message}: key ${action}`);
      return { kind: 'ran', changed: false };
    }
    if (e.kind === 'timeout' || e.kind === 'network' || e.kind === 'temporary') {
      log.warn({ factionId: jobs.id, kind: e.kind }, e.message);
      return null;
    }
    log.warn({ factionId: jobs.id, code: e.code, kind: e.kind }, e.message);
    return { kind: 'ran', changed: false };
  }

  // By faction id, so a key whose owner just left (and now sees another faction's wars) cannot end ours.
  async #checkWar(jobs: FactionJobs, force: boolean): Promise<JobOutcome> {
    const fresh = force || this.#o.warCheckIntervalMs < TORN_CACHE_MS;
    const r = await this.#withKey(jobs, force, (key) => this.#o.torn.factionWars(key.apiKey, jobs.id, { fresh }));
    if (!r.ok) return r.outcome;
    const ranked = r.value.wars.ranked;
    const report: RankedWarReport | null = ranked
      ? {
          id: ranked.war_id,
          start: ranked.start,
          end: ranked.end ?? null,
          target: ranked.target ?? null,
          winner: ranked.winner ?? null,
          factions: ranked.factions.map((f) => ({ id: f.id, name: f.name, score: f.score })),
        }
      : null;
    const changed = await this.#o.db.transaction(async (tx) => {
      const open = await openWar(tx, jobs.id);
      const result = await recordRankedWar(tx, jobs.id, report);
      if (!result.changed) return false;
      // A war that just started has no targets yet: its first summary comes with them, right after.
      const wars = new Set<number>();
      if (open) wars.add(open.id);
      if (result.war && result.changed !== 'started') wars.add(result.war.id);
      if (wars.size) {
        await refreshSummaries(tx, jobs.id, [...wars]);
        jobs.summarySeq = await headSeq(tx, jobs.id);
      }
      if (result.changed === 'started' || result.changed === 'ended') {
        this.#o.log.info({ factionId: jobs.id, warId: result.war?.id }, `ranked war ${result.changed}`);
      }
      return true;
    });
    // A war that just started wants its targets now, not an interval later.
    if (changed && report && report.end === null) jobs.nextTargets = 0;
    return { kind: 'ran', changed };
  }

  async #refreshTargets(jobs: FactionJobs, force: boolean): Promise<JobOutcome> {
    // No open war, no enemy to poll, and no key spent on it.
    const war = await openWar(this.#o.db, jobs.id);
    if (!war) return { kind: 'ran', changed: false };
    const fresh = force || this.#o.targetStatusRefreshIntervalMs < TORN_CACHE_MS;
    const r = await this.#withKey(jobs, force, (key) => this.#o.torn.factionMembers(key.apiKey, war.enemy.id, { fresh }));
    if (!r.ok) return r.outcome;
    const members = toMembers(r.value);
    const changed = await this.#o.db.transaction(async (tx) => {
      const events = await applyEnemyMembers(tx, jobs.id, war.id, members);
      if (events === 0 && jobs.summarySeq === (await headSeq(tx, jobs.id))) return false;
      // In the same transaction: the view never disagrees with the targets it summarizes.
      await refreshSummaries(tx, jobs.id, [war.id]);
      jobs.summarySeq = await headSeq(tx, jobs.id);
      return events > 0;
    });
    return { kind: 'ran', changed };
  }

  /**
   * Keeps members' names current; a member who left the faction loses their sessions and key. A
   * list that would remove everyone, or more than half of the members we know at once, is more
   * likely Torn answering wrong than a faction emptying: it removes nobody (and says so).
   */
  async #refreshOwnFaction(jobs: FactionJobs, force: boolean): Promise<JobOutcome> {
    const fresh = force || this.#o.ownFactionRefreshIntervalMs < TORN_CACHE_MS;
    const factionId = jobs.id;
    // By id, not "the key owner's faction": the key may belong to the very member who just left.
    const r = await this.#withKey(jobs, force, (key) => this.#o.torn.factionMembers(key.apiKey, factionId, { fresh }));
    if (!r.ok) return r.outcome;
    const members = toMembers(r.value);
    const listed = new Set(members.map((m) => m.id));
    await this.#o.db.transaction(async (tx) => {
      for (const m of members) {
        await tx.query(
          'update players set name = $2, level = $3, updated_at = now() where id = $1 and (name <> $2 or level is distinct from $3)',
          [m.id, m.name, m.level],
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
    return { kind: 'ran', changed: false };
  }

  async #refreshSummary(jobs: FactionJobs): Promise<void> {
    await this.#o.db.transaction(async (tx) => {
      const war = await latestWar(tx, jobs.id);
      if (war) await refreshSummaries(tx, jobs.id, [war.id]);
      jobs.summarySeq = await headSeq(tx, jobs.id);
    });
  }
}
