import type { Logger } from 'pino';
import type { Database } from '../db/database.js';
import { toError } from '../errors.js';
import { isTornApiError, toMembers, type TornClient } from '../torn/index.js';
import { applyEnemyMembers } from '../war/targets.js';
import { openWar, recordRankedWar, type RankedWarReport } from '../war/wars.js';
import type { KeyPool, PooledKey } from './key-pool.js';

export interface WarSyncOptions {
  db: Database;
  torn: TornClient;
  keys: KeyPool;
  log: Logger;
  warCheckIntervalMs: number;
  targetStatusRefreshIntervalMs: number;
  ownFactionRefreshIntervalMs: number;
}

/** Torn caches an answer ~29 s; a poll more frequent than that asks for fresh data, as Torn documents. */
const TORN_CACHE_MS = 29_000;

interface FactionJobs {
  nextWarCheck: number;
  nextTargets: number;
  nextOwn: number;
  busy: boolean;
}

/**
 * Polls Torn once per faction (not once per member) and writes only what changed: the faction's
 * ranked war every warCheckInterval, the enemy's members every targetStatusRefreshInterval while
 * a war is open, the own faction every ownFactionRefreshInterval. One timer drives every faction.
 */
export class WarSync {
  #o: WarSyncOptions;
  #factions = new Map<number, FactionJobs>();
  #timer: NodeJS.Timeout | undefined;
  #nextDiscovery = 0;
  #running = new Set<Promise<void>>();

  constructor(options: WarSyncOptions) {
    this.#o = options;
  }

  start(): void {
    const tickMs = Math.max(50, Math.min(250, this.#o.targetStatusRefreshIntervalMs / 4));
    this.#timer = setInterval(() => this.#tick(), tickMs);
    this.#timer.unref();
    this.#tick();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await Promise.allSettled([...this.#running]);
  }

  /** A member of this faction just signed in: look at its war now rather than at the next check. */
  poke(factionId: number): void {
    const jobs = this.#factions.get(factionId);
    if (jobs) jobs.nextWarCheck = 0;
    else this.#factions.set(factionId, { nextWarCheck: 0, nextTargets: 0, nextOwn: 0, busy: false });
    this.#tick();
  }

  /** Runs every job that is due for one faction now, in order (tests and the demo call it directly). */
  async syncFaction(factionId: number, force = false): Promise<void> {
    const jobs = this.#factions.get(factionId) ?? { nextWarCheck: 0, nextTargets: 0, nextOwn: 0, busy: false };
    this.#factions.set(factionId, jobs);
    if (force) jobs.nextWarCheck = jobs.nextTargets = jobs.nextOwn = 0;
    await this.#runDue(factionId, jobs);
  }

  #tick(): void {
    if (!this.#timer) return;
    const now = Date.now();
    if (now >= this.#nextDiscovery) {
      this.#nextDiscovery = now + this.#o.warCheckIntervalMs;
      this.#track(this.#discover());
    }
    for (const [factionId, jobs] of this.#factions) {
      if (jobs.busy) continue;
      if (now >= jobs.nextWarCheck || now >= jobs.nextTargets || now >= jobs.nextOwn) this.#track(this.#runDue(factionId, jobs));
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
      for (const id of live) if (!this.#factions.has(id)) this.#factions.set(id, { nextWarCheck: 0, nextTargets: 0, nextOwn: 0, busy: false });
      for (const id of this.#factions.keys()) if (!live.has(id)) this.#factions.delete(id);
    } catch (e) {
      this.#o.log.warn({ err: toError(e) }, 'war sync could not list factions');
    }
  }

  async #runDue(factionId: number, jobs: FactionJobs): Promise<void> {
    if (jobs.busy) return;
    jobs.busy = true;
    try {
      const now = Date.now();
      if (now >= jobs.nextWarCheck) {
        jobs.nextWarCheck = now + this.#o.warCheckIntervalMs;
        await this.#withKey(factionId, (key) => this.#checkWar(factionId, key));
      }
      if (now >= jobs.nextTargets) {
        jobs.nextTargets = now + this.#o.targetStatusRefreshIntervalMs;
        await this.#withKey(factionId, (key) => this.#refreshTargets(factionId, key));
      }
      if (now >= jobs.nextOwn) {
        jobs.nextOwn = now + this.#o.ownFactionRefreshIntervalMs;
        await this.#withKey(factionId, (key) => this.#refreshOwnFaction(factionId, key));
      }
    } finally {
      jobs.busy = false;
    }
  }

  async #withKey(factionId: number, job: (key: PooledKey) => Promise<void>): Promise<void> {
    let key: PooledKey | null = null;
    try {
      key = await this.#o.keys.take(factionId);
      if (!key) return;
      await job(key);
    } catch (e) {
      if (key && isTornApiError(e)) {
        await this.#o.keys.reportError(key, e).catch(() => {});
        this.#o.log.warn({ factionId, playerId: key.playerId, code: e.code, kind: e.kind }, e.message);
      } else {
        this.#o.log.error({ factionId, err: toError(e) }, 'war sync job failed');
      }
    }
  }

  async #checkWar(factionId: number, key: PooledKey): Promise<void> {
    const answer = await this.#o.torn.factionWars(key.apiKey, { fresh: this.#o.warCheckIntervalMs < TORN_CACHE_MS });
    const ranked = answer.wars.ranked;
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
    await this.#o.db.transaction((tx) => recordRankedWar(tx, factionId, report));
  }

  async #refreshTargets(factionId: number, key: PooledKey): Promise<void> {
    const war = await openWar(this.#o.db, factionId);
    if (!war) return;
    const answer = await this.#o.torn.factionMembers(key.apiKey, war.enemy.id, { fresh: this.#o.targetStatusRefreshIntervalMs < TORN_CACHE_MS });
    const members = toMembers(answer);
    await this.#o.db.transaction((tx) => applyEnemyMembers(tx, factionId, war.id, members));
  }

  /** Keeps members' names current; a member who left the faction loses their sessions and key. */
  async #refreshOwnFaction(factionId: number, key: PooledKey): Promise<void> {
    const answer = await this.#o.torn.factionMembers(key.apiKey, undefined, { fresh: this.#o.ownFactionRefreshIntervalMs < TORN_CACHE_MS });
    const members = toMembers(answer);
    const ids = members.map((m) => m.id);
    await this.#o.db.transaction(async (tx) => {
      for (const m of members) {
        await tx.query('update players set name = $2, level = $3, updated_at = now() where id = $1 and (name <> $2 or level is distinct from $3)', [m.id, m.name, m.level]);
      }
      const gone = await tx.query<{ id: number }>(
        'update players set faction_id = null, updated_at = now() where faction_id = $1 and not (id = any($2::int[])) returning id',
        [factionId, ids],
      );
      for (const { id } of gone.rows) {
        await tx.query('delete from sessions where player_id = $1', [id]);
        await tx.query('delete from api_keys where player_id = $1', [id]);
      }
    });
  }
}
