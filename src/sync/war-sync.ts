import { randomBytes, randomInt } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import type { Database } from '../db/database.js';
import { isDatabaseUnavailable } from '../db/unavailable.js';
import { toError } from '../errors.js';
import { headSeq } from '../realtime/event-log.js';
import type { TornClient, TornClock } from '../torn/index.js';
import { refreshSummaries } from '../war/summary.js';
import { latestWar } from '../war/wars.js';
import { newFactionState, type FactionState } from './faction-state.js';
import { learnTornClock } from './jobs/clock.js';
import { reschedule, type JobContext, type NodeJob } from './jobs/job.js';
import { FACTION_JOBS, NODE_JOBS } from './jobs/registry.js';
import type { KeyPool } from './key-pool.js';
import { PollerLocks } from './poller-lock.js';
import { recordTornRead } from '../war/read-status.js';
import { TornRequester } from './requester.js';
import { heartbeat, leave } from './nodes.js';
import { NO_SYNC_METRICS, type SyncMetrics } from './sync-metrics.js';

export interface WarSyncOptions {
  db: Database;
  torn: TornClient;
  keys: KeyPool;
  log: Logger;
  metrics?: SyncMetrics;
  /** Torn's clock as this node knows it: the clock job teaches it, the war code shows times on it. */
  clock: TornClock;
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
  /** Our chain report (Torn's count of war hits) is read at most this often during a war. @default 60000 */
  chainReportIntervalMs?: number;
  /** This node's name in `torn_nodes`. @default host name, process id and a random part */
  nodeId?: string;
}

/** Below this share of its budget left, an address is short… */
const SHORT = 0.1;
/** …and it hands factions to a live address with at least this share left. */
const SPARE = 0.25;

/**
 * The scheduler of the Torn sync: polls Torn once per faction (not once per member) by running the
 * jobs of jobs/registry.ts, each a Torn read with its own interval (jobs/*.ts say which). One timer
 * drives every faction: the factions with a signed-in member are found every minute, and when the
 * node's request budget is short the factions served longest ago go first. Across nodes, only the
 * holder of a faction's advisory lock polls it; node jobs (Torn's clock) run on every node. Torn is
 * asked only through the requester (keys, budgets, back-off). Each node heartbeats its egress
 * address in `torn_nodes`; while its address's budget is short and another live address has spare,
 * it takes no new faction and lets go of the one it served longest ago, one a beat, so that a node
 * on the other address takes it at its next lock try.
 */
export class WarSync {
  #o: WarSyncOptions;
  #metrics: SyncMetrics;
  #locks: PollerLocks;
  #requester: TornRequester;
  #ctx: JobContext;
  #factions = new Map<number, FactionState>();
  #nodeJobs = new Map<NodeJob, { next: number; busy: boolean }>(NODE_JOBS.map((job) => [job, { next: 0, busy: false }]));
  #timer: NodeJS.Timeout | undefined;
  #nextDiscovery = 0;
  #nodeId: string;
  #nodeLockId = randomInt(1, 2 ** 31 - 1);
  #beatMs: number;
  #nextBeat = 0;
  #beating = false;
  /** This node's address is short of budget while another has spare: take nothing new, hand over. */
  #yielding = false;
  #running = new Set<Promise<void>>();
  #stopped = false;

  constructor(options: WarSyncOptions) {
    this.#o = options;
    this.#metrics = options.metrics ?? NO_SYNC_METRICS;
    this.#locks = new PollerLocks(options.db, options.log);
    this.#nodeId = options.nodeId ?? `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
    // As often as a faction is polled, within 0.5-5 s: a faction a beat is handed over.
    this.#beatMs = Math.max(500, Math.min(5000, options.targetStatusRefreshIntervalMs));
    this.#requester = new TornRequester({
      keys: options.keys,
      log: options.log,
      metrics: this.#metrics,
      backoffBaseMs: options.backoffBaseMs ?? options.targetStatusRefreshIntervalMs,
      backoffMaxMs: options.backoffMaxMs,
      networkRetries: options.networkRetries,
      factions: () => this.#factions.keys(),
      served: (factionId) => {
        const f = this.#factions.get(factionId);
        if (f) f.servedAt = Date.now();
      },
    });
    this.#ctx = {
      db: options.db,
      torn: options.torn,
      requester: this.#requester,
      clock: options.clock,
      log: options.log,
      intervals: {
        warCheckIntervalMs: options.warCheckIntervalMs,
        targetStatusRefreshIntervalMs: options.targetStatusRefreshIntervalMs,
        ownFactionRefreshIntervalMs: options.ownFactionRefreshIntervalMs,
        clockIntervalMs: options.clockIntervalMs ?? 300_000,
        warLeadMs: options.warLeadMs ?? 60_000,
        chainReportIntervalMs: options.chainReportIntervalMs ?? 60_000,
      },
    };
  }

  /** The factions whose lock this node holds (so which it polls). */
  get polling(): ReadonlySet<number> {
    return this.#locks.held;
  }

  start(): void {
    this.#stopped = false;
    this.#requester.start();
    const tickMs = Math.max(25, Math.min(250, this.#o.targetStatusRefreshIntervalMs / 8));
    this.#timer = setInterval(() => this.#tick(), tickMs);
    this.#timer.unref();
    this.#tick();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#requester.stop();
    clearInterval(this.#timer);
    this.#timer = undefined;
    await Promise.allSettled([...this.#running]);
    await this.#locks.close();
    await leave(this.#o.db, this.#nodeId).catch(() => {});
  }

  /**
   * A member of this faction just signed in: a faction new to this node is looked at now rather
   * than at the next discovery. A known one changes nothing: Torn requests stay per faction, not
   * per member (25 sign-ins must not be 25 war checks).
   */
  poke(factionId: number): void {
    if (this.#factions.has(factionId)) return;
    this.#faction(factionId);
    this.#tick();
  }

  /**
   * Runs every job of one faction now, in order (tests and the demo call it directly). `force` runs
   * them whether due or not, and past the key budget (uses still count); the lock is still required.
   */
  async syncFaction(factionId: number, force = false): Promise<void> {
    const f = this.#faction(factionId);
    while (f.busy) await new Promise((r) => setTimeout(r, 10));
    await this.#run(f, force);
  }

  /**
   * Learns Torn's clock now with a key of one of the factions this node knows (`factionId` first).
   * Returns whether Torn answered.
   */
  async syncClock(factionId?: number): Promise<boolean> {
    return learnTornClock(this.#ctx, [...new Set([...(factionId === undefined ? [] : [factionId]), ...this.#factions.keys()])]);
  }

  #faction(factionId: number): FactionState {
    let f = this.#factions.get(factionId);
    if (!f) {
      f = newFactionState(factionId);
      this.#factions.set(factionId, f);
      this.#requester.showBackoff(factionId);
    }
    return f;
  }

  #tick(): void {
    if (!this.#timer) return;
    const now = Date.now();
    if (now >= this.#nextDiscovery) {
      this.#nextDiscovery = now + Math.min(this.#o.warCheckIntervalMs, 60_000);
      this.#track(this.#discover());
    }
    if (now >= this.#nextBeat && !this.#beating) {
      this.#nextBeat = now + this.#beatMs;
      this.#track(this.#beat());
    }
    if (this.#requester.blocked(now)) return;
    if (this.#factions.size > 0) {
      for (const [job, state] of this.#nodeJobs) if (now >= state.next && !state.busy) this.#track(this.#runNodeJob(job, state));
    }
    const due: FactionState[] = [];
    for (const f of this.#factions.values()) {
      if (f.busy || now < f.nextLockTry) continue;
      if (FACTION_JOBS.some((job) => job.due(f, now, false))) due.push(f);
    }
    // When the node's Torn budget is the limit (many factions on one node), the requests it has left
    // go to the factions served longest ago, one run each: every faction gets its turn, none waits
    // on a faction that merely asked first, and no run starts only to find the budget spent.
    due.sort((a, b) => a.servedAt - b.servedAt);
    let slots = this.#requester.addressRemaining(now);
    for (const f of due) {
      if (slots <= 0) break;
      slots--;
      this.#track(this.#run(f, false));
    }
  }

  async #runNodeJob(job: NodeJob, state: { next: number; busy: boolean }): Promise<void> {
    state.busy = true;
    try {
      state.next = await job.run(this.#ctx, [...this.#factions.keys()]);
    } catch (e) {
      state.next = Date.now() + 30_000;
      this.#o.log[isDatabaseUnavailable(e) ? 'warn' : 'error']({ err: toError(e), job: job.name }, `the ${job.name} job failed`);
    } finally {
      state.busy = false;
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
      for (const id of live) this.#faction(id);
      for (const [id, f] of this.#factions) {
        if (live.has(id) || f.busy) continue;
        this.#factions.delete(id);
        await this.#locks.release(id);
        this.#metrics.forget(id);
      }
    } catch (e) {
      this.#o.log.warn({ err: toError(e) }, 'war sync could not list factions');
    }
  }

  /**
   * Tells the other nodes this node's address and factions, reads every live address's use of its
   * budget, and hands one faction over when this address is short and another has spare.
   */
  async #beat(): Promise<void> {
    this.#beating = true;
    try {
      const budget = this.#o.keys.address;
      await this.#locks.holdNode(this.#nodeLockId);
      const addresses = await heartbeat(
        this.#o.db,
        {
          nodeId: this.#nodeId,
          lockId: this.#nodeLockId,
          address: budget.address,
          budget: budget.perWindow,
          windowMs: budget.windowMs,
          factions: this.#locks.held.size,
        },
        this.#beatMs,
      );
      // A node that spent lately knows its address's window from the spend; an idle one reads it.
      if (budget.readAt < Date.now() - this.#beatMs) await budget.refresh();
      const short = budget.remaining() < Math.max(1, Math.ceil(budget.perWindow * SHORT));
      const spareElsewhere = addresses.some((a) => a.address !== budget.address && a.budget - a.used >= a.budget * SPARE);
      const yielding = short && spareElsewhere;
      if (yielding !== this.#yielding) {
        this.#o.log.info(
          { address: budget.address, addresses },
          yielding
            ? 'this address is short of Torn budget: handing factions to nodes on an address with spare'
            : 'no more handing factions over: this address has budget, or no other has spare',
        );
      }
      this.#yielding = yielding;
      if (!this.#yielding) return;
      let oldest: FactionState | undefined;
      for (const id of this.#locks.held) {
        const f = this.#factions.get(id);
        if (f && !f.busy && (!oldest || f.servedAt < oldest.servedAt)) oldest = f;
      }
      if (!oldest) return;
      await this.#locks.release(oldest.id);
      this.#metrics.polling(oldest.id, false);
      this.#o.log.info({ factionId: oldest.id }, 'faction handed over: this address is short of Torn budget');
    } catch (e) {
      this.#o.log.warn({ err: toError(e) }, 'war sync heartbeat failed');
    } finally {
      this.#beating = false;
    }
  }

  /** One run of a faction: its due jobs in the registry's order, then its summary if the event log moved. */
  async #run(f: FactionState, force: boolean): Promise<void> {
    if (f.busy || this.#stopped) return;
    f.busy = true;
    try {
      const now = Date.now();
      // Short of budget while another address has spare: a faction not ours already is left to its nodes.
      if (this.#yielding && !force && !this.#locks.held.has(f.id)) {
        f.nextLockTry = now + Math.min(this.#o.targetStatusRefreshIntervalMs, this.#o.warCheckIntervalMs);
        return;
      }
      const held = await this.#locks.hold(f.id);
      this.#metrics.polling(f.id, held);
      if (!held) {
        // Another node polls this faction; try again within one interval, so that if it dies we
        // take over within two.
        f.nextLockTry = now + Math.min(this.#o.targetStatusRefreshIntervalMs, this.#o.warCheckIntervalMs);
        return;
      }
      if (!force && this.#requester.blocked(now)) return;
      let changed = false;
      for (const job of FACTION_JOBS) {
        if (!job.due(f, now, force)) continue;
        const out = await job.run(f, this.#ctx, force, now);
        if (out.kind === 'backoff') return;
        if (out.kind === 'ran' && out.changed) changed = true;
        reschedule(f, job.name, out, job.intervalMs(this.#ctx.intervals), now);
      }
      // After the run's other reads (the enemy's targets of a war just found): "first read done" comes with the targets.
      if (f.readLanded) {
        f.readLanded = false;
        await this.#o.db.transaction((tx) => recordTornRead(tx, f.id, null));
      }
      // Calls change the summary too (open calls), and they are not ours: refresh when the
      // faction's log moved since our last refresh, at most once per run.
      if (!changed && f.summarySeq !== (await headSeq(this.#o.db, f.id))) await this.#refreshSummary(f);
    } catch (e) {
      // A database outage is not a bug: the next run retries, and the outage is logged where connections are lost.
      this.#o.log[isDatabaseUnavailable(e) ? 'warn' : 'error']({ factionId: f.id, err: toError(e) }, 'war sync run failed');
    } finally {
      f.busy = false;
    }
  }

  async #refreshSummary(f: FactionState): Promise<void> {
    await this.#o.db.transaction(async (tx) => {
      const war = await latestWar(tx, this.#ctx.clock, f.id);
      if (war) await refreshSummaries(tx, f.id, [war.id]);
      f.summarySeq = await headSeq(tx, f.id);
    });
  }
}
