/**
 * The client's model of one faction's war board, shared by the dashboard and the userscripts: a
 * snapshot of GET /api/war plus the realtime events after its `seq`, applied once each, in order.
 * Anything the events cannot express (a reset, a new war, a target the snapshot did not have, a
 * gap in the ids) asks the caller to re-read the snapshot. Calls and releases of ours show at once,
 * before the server answers, and are taken back if it refuses them.
 */
import type { Call, CallOp, CallOpResult } from '../../protocol/call.js';
import type { WarEvent } from '../../protocol/events.js';
import type { Assist, Chain, EnemyChain, TargetMark } from '../../protocol/intel.js';
import { paceOf, type Pace, type ScorePoint } from '../../protocol/score.js';
import type { Snapshot } from '../../protocol/snapshot.js';
import type { SyncStatus } from '../../protocol/sync-status.js';
import type { Target } from '../../protocol/target.js';
import type { War } from '../../protocol/war.js';
import { ServerClock } from './server-clock.js';
import { isOkay, sortRows } from './row-order.js';
import type { Row } from './target-row.js';

export type ApplyResult = 'applied' | 'duplicate' | 'resnapshot';

export interface Counts {
  total: number;
  okay: number;
  hospital: number;
  traveling: number;
  jail: number;
  other: number;
  called: number;
  callable: number;
}

const TRAVEL = new Set(['Traveling', 'Abroad']);
const JAIL = new Set(['Jail', 'Federal']);

/** How long a call of ours lasts until a call from the server says (the server's default CALL_TTL_MS). */
const DEFAULT_CALL_TTL_S = 900;
/** How long the views highlight a target that left hospital early, in seconds. */
const EARLY_EXIT_HIGHLIGHT_S = 120;
/** How long an early exit is kept for the alerts, in seconds. */
const EARLY_EXIT_KEEP_S = 600;
/**
 * An early exit's time as this page dated its event and as the server recorded it differ by the
 * sync's delay: within this many seconds they are one exit.
 */
export const SAME_EXIT_S = 30;

/** A target that left hospital before its `until`, as a `target_status` event or the snapshot said. */
export interface EarlyExit {
  targetId: number;
  /** When it left, on the server's clock (Unix seconds): the target's `earlyExitAt`, or when this page applied the event. */
  at: number;
  /** The `until` of the hospital stay it left. */
  until: number | null;
}

interface Proposal {
  op: CallOp['op'];
  /** The call we expect the server to make (for `call`). */
  call?: Call;
}

export class WarState {
  seq = -1;
  me: Snapshot['me'] | null = null;
  war: War | null = null;
  scores: Record<string, number> = {};
  /** The war's score over time, oldest first (the chart and the paces read it). */
  scoreHistory: ScorePoint[] = [];
  readonly targets = new Map<number, Target>();
  /** The open calls as the server last said, by target. */
  readonly calls = new Map<number, Call>();
  readonly clock = new ServerClock();
  /** Our faction's chain as last read from Torn; null before the first read. */
  chain: Chain | null = null;
  /** The enemy's chain in this war, from the war's own answer; null before the first read. */
  enemyChain: EnemyChain | null = null;
  /** Leaders' marks, by target. */
  readonly marks = new Map<number, TargetMark>();
  /** Assist requests, keyed `${targetId}:${requesterId}`; they end on their own (see `openAssists`). */
  readonly assists = new Map<string, Assist>();
  /** The targets this member watches explicitly (their own open calls are watched too: see `isWatched`). */
  readonly watches = new Set<number>();
  /** Early hospital exits seen on events (not in snapshots), by target: the exit alerts read them. */
  readonly earlyExits = new Map<number, EarlyExit>();
  /** How the server's reads of Torn go; null: a server older than the field (nothing to say). */
  sync: SyncStatus | null = null;
  snapshots = 0;
  eventsApplied = 0;
  readonly #proposals = new Map<number, Proposal>();
  #callTtlS = DEFAULT_CALL_TTL_S;

  get loaded(): boolean {
    return this.seq >= 0;
  }

  loadSnapshot(s: Snapshot, localNowMs: number = Date.now()): void {
    this.seq = s.seq;
    this.me = s.me;
    this.war = s.war;
    this.scores = { ...(s.war?.scores ?? {}), ...(s.summary?.scores ?? {}) };
    this.scoreHistory = [...(s.scoreHistory ?? [])];
    const before = new Map(this.targets);
    this.targets.clear();
    for (const t of s.targets) this.targets.set(t.id, t);
    this.clock.sync(s.serverTime, localNowMs);
    this.#earlyExitsOf(before, this.clock.now(localNowMs));
    this.calls.clear();
    for (const c of s.calls) if (c.state === 'called') this.#setCall(c);
    // A server older than these fields sends none of them: the board then shows none.
    this.chain = s.chain ?? null;
    this.enemyChain = s.enemyChain ?? null;
    this.marks.clear();
    for (const m of s.marks ?? []) this.marks.set(m.targetId, m);
    this.assists.clear();
    for (const a of s.assists ?? []) this.assists.set(assistKey(a), pickAssist(a));
    this.watches.clear();
    for (const id of s.watches ?? []) this.watches.add(id);
    this.sync = s.sync ?? null;
    this.snapshots++;
  }

  /**
   * Early exits the snapshot shows (`earlyExitAt`) that no event brought: one a re-read swallowed
   * (its event came before the snapshot's seq), or one seen before this page loaded. The stay it
   * left is known only when this page saw the target in hospital.
   */
  #earlyExitsOf(before: Map<number, Target>, now: number): void {
    for (const [id, e] of this.earlyExits) if (now - e.at > EARLY_EXIT_KEEP_S) this.earlyExits.delete(id);
    for (const t of this.targets.values()) {
      const at = t.earlyExitAt;
      if (at == null || now - at > EARLY_EXIT_KEEP_S) continue;
      const known = this.earlyExits.get(t.id);
      if (known && Math.abs(known.at - at) <= SAME_EXIT_S) continue;
      const old = before.get(t.id)?.status;
      this.earlyExits.set(t.id, { targetId: t.id, at, until: old?.state === 'Hospital' ? old.until : null });
    }
  }

  /** Applies one event if it is the next one; says when only a fresh snapshot can make the board right. */
  apply(ev: WarEvent, localNowMs: number = Date.now()): ApplyResult {
    if (ev.id <= this.seq) return 'duplicate';
    if (ev.event === 'reset' || ev.event === 'war') return 'resnapshot';
    // The faction's ids are gap-free: a hole means something was missed.
    if (this.seq >= 0 && ev.id !== this.seq + 1) return 'resnapshot';
    // The data came over the network: read it defensively, whatever its type says.
    const warId = (ev.data as { warId?: unknown } | null)?.warId;
    if (this.war && warId !== undefined && warId !== this.war.id) return 'resnapshot';
    switch (ev.event) {
      case 'target_call': {
        const d = ev.data;
        if (d.state === 'called') this.#setCall(pickCall(d));
        else if (this.calls.get(d.targetId)?.callerId === d.callerId) this.calls.delete(d.targetId);
        break;
      }
      case 'target_status': {
        const d = ev.data;
        const t = this.targets.get(d.targetId);
        if (!t) return 'resnapshot';
        t.status = { state: d.state, description: d.description ?? '', details: d.details ?? '', until: d.until ?? null };
        if (d.lastAction) t.lastAction = d.lastAction;
        t.isRevivable = d.isRevivable ?? null;
        t.hasEarlyDischarge = d.hasEarlyDischarge ?? null;
        t.travel = d.travel ?? null;
        t.hospitalCountry = d.hospitalCountry ?? null;
        if (d.early === true) {
          // The event carries no time of its own: it is applied within seconds of the sync that saw it.
          const at = Math.floor(this.serverNow(localNowMs));
          t.earlyExitAt = at;
          this.earlyExits.set(d.targetId, { targetId: d.targetId, at, until: d.previous?.until ?? null });
        }
        break;
      }
      case 'chain': {
        if (ev.data && typeof ev.data.current === 'number') this.chain = { ...ev.data };
        break;
      }
      case 'enemy_chain': {
        const d = ev.data;
        if (d && typeof d.current === 'number') this.enemyChain = { ...d };
        break;
      }
      case 'target_mark': {
        const d = ev.data;
        if (d.mark) this.marks.set(d.targetId, d.mark);
        else this.marks.delete(d.targetId);
        break;
      }
      case 'assist': {
        this.assists.set(assistKey(ev.data), pickAssist(ev.data));
        break;
      }
      case 'watch': {
        const d = ev.data;
        // Another member's watch is theirs alone.
        if (d.memberId !== this.me?.id) break;
        if (d.watching) this.watches.add(d.targetId);
        else this.watches.delete(d.targetId);
        break;
      }
      case 'sync_status': {
        const d = ev.data;
        if (d && typeof d.firstReadDone === 'boolean') this.sync = { firstReadDone: d.firstReadDone, problem: d.problem ?? null };
        break;
      }
      case 'war_score': {
        const d = ev.data;
        if (typeof d?.at !== 'number' || typeof d.ours !== 'number' || typeof d.theirs !== 'number') break;
        const point = { at: d.at, ours: d.ours, theirs: d.theirs };
        const last = this.scoreHistory.at(-1);
        if (last && last.at >= point.at) this.scoreHistory = [...this.scoreHistory.filter((p) => p.at < point.at), point];
        else this.scoreHistory.push(point);
        if (this.war) this.scores = { ...this.scores, [String(this.war.factionId)]: d.ours, [String(this.war.enemy.id)]: d.theirs };
        break;
      }
      case 'war_summary': {
        if (ev.data?.scores) this.scores = { ...ev.data.scores };
        break;
      }
      default:
        // Every event of protocol/events.ts is a case above (or a re-read before the switch): one
        // added there without its case here does not compile. A newer server's event, unknown to
        // this client, changes nothing it shows.
        ev satisfies never;
    }
    this.seq = ev.id;
    this.eventsApplied++;
    return 'applied';
  }

  /**
   * Shows a call or release of ours as done, before the server answers; returns the function that
   * takes it back. Once the answer is in, `settle` records what the server did and taking the
   * proposal back leaves exactly that on the board: a refusal rolls the row back by itself.
   */
  propose(targetId: number, op: CallOp['op'], localNowMs: number = Date.now()): () => void {
    const at = Math.floor(this.serverNow(localNowMs));
    const proposal: Proposal =
      op === 'call'
        ? {
            op,
            call: {
              targetId,
              targetName: this.targets.get(targetId)?.name ?? '',
              callerId: this.me?.id ?? 0,
              callerName: this.me?.name ?? '',
              state: 'called',
              at,
              expiresAt: at + this.#callTtlS,
              // The server decides; a target in hospital is claimed for its exit.
              waitingForExit: this.targets.get(targetId)?.status.state === 'Hospital',
            },
          }
        : { op };
    this.#proposals.set(targetId, proposal);
    return () => {
      if (this.#proposals.get(targetId) === proposal) this.#proposals.delete(targetId);
    };
  }

  /** The server's answer to an operation of ours: what it holds now, ahead of the event that will say so. */
  settle(targetId: number, op: CallOp['op'], call: Call | null): void {
    if (call && call.state === 'called') this.#setCall(call);
    else if (op === 'release') this.calls.delete(targetId);
  }

  /**
   * The server's answer to one of the other operations (watch, unwatch, mark, unmark, assist): what
   * it holds now, ahead of the event that will say so.
   */
  settleOp(op: CallOp, result: CallOpResult): void {
    if (!result.ok) return;
    if (op.op === 'watch') this.watches.add(op.targetId);
    else if (op.op === 'unwatch') this.watches.delete(op.targetId);
    else if (op.op === 'mark' && result.mark) this.marks.set(op.targetId, result.mark);
    else if (op.op === 'unmark') this.marks.delete(op.targetId);
    else if (op.op === 'assist' && result.assist) this.assists.set(assistKey(result.assist), pickAssist(result.assist));
  }

  /** Watched: explicitly, or because the target is under an open call of ours (waiting for its exit or not). */
  isWatched(targetId: number): boolean {
    if (this.watches.has(targetId)) return true;
    const me = this.me?.id;
    return me !== undefined && this.callOn(targetId)?.callerId === me;
  }

  /** Assist requests not yet expired on the server's clock, oldest first. */
  openAssists(localNowMs: number = Date.now()): Assist[] {
    const now = this.serverNow(localNowMs);
    return [...this.assists.values()].filter((a) => a.expiresAt > now).sort((a, b) => a.at - b.at || a.targetId - b.targetId);
  }

  /** Each side's pace now (on the server's clock); null without a war. */
  pace(localNowMs: number = Date.now()): Pace | null {
    if (!this.war) return null;
    // An ended war's pace is the one it ended with.
    // A point newer than this page's clock (its offset was learned at the last snapshot) is not in the future.
    const latest = Math.max(this.serverNow(localNowMs), this.scoreHistory.at(-1)?.at ?? 0);
    const now = Math.floor(Math.min(latest, this.war.end ?? Infinity));
    return paceOf(this.scoreHistory, now, this.war.target);
  }

  /** Seconds before the chain breaks on the server's clock; null without a running chain. */
  chainTimeoutLeft(localNowMs: number = Date.now()): number | null {
    const c = this.chain;
    if (!c || c.current <= 0 || c.timeout <= 0) return null;
    return Math.max(0, Math.ceil(c.at + c.timeout - this.serverNow(localNowMs)));
  }

  /**
   * Seconds before the enemy's chain breaks at the latest (see EnemyChain.breaksBy), on the server's
   * clock; 0 once that time is past (no hit seen for five minutes); null when not known.
   */
  enemyChainTimeoutLeft(localNowMs: number = Date.now()): number | null {
    const c = this.enemyChain;
    if (!c || c.current <= 0 || c.breaksBy === null) return null;
    return Math.max(0, Math.ceil(c.breaksBy - this.serverNow(localNowMs)));
  }

  /** Seconds of chain cooldown left on the server's clock; null without one. */
  chainCooldownLeft(localNowMs: number = Date.now()): number | null {
    const c = this.chain;
    if (!c || c.cooldown <= 0) return null;
    const left = Math.ceil(c.at + c.cooldown - this.serverNow(localNowMs));
    return left > 0 ? left : null;
  }

  /** The target left hospital early within the last EARLY_EXIT_HIGHLIGHT_S seconds. */
  recentlyOutEarly(t: Target, localNowMs: number = Date.now()): boolean {
    return t.earlyExitAt != null && this.serverNow(localNowMs) - t.earlyExitAt < EARLY_EXIT_HIGHLIGHT_S;
  }

  isPending(targetId: number): boolean {
    return this.#proposals.has(targetId);
  }

  /** The open call on a target as the board shows it. */
  callOn(targetId: number): Call | undefined {
    const confirmed = this.calls.get(targetId);
    const proposal = this.#proposals.get(targetId);
    if (!proposal) return confirmed;
    // Someone else's call stands: the server will refuse ours.
    if (confirmed && confirmed.callerId !== this.me?.id) return confirmed;
    return proposal.op === 'call' ? (confirmed ?? proposal.call) : undefined;
  }

  /** Every open call as the board shows it. */
  openCalls(): Call[] {
    const out: Call[] = [];
    for (const id of new Set([...this.calls.keys(), ...this.#proposals.keys()])) {
      const c = this.callOn(id);
      if (c) out.push(c);
    }
    return out;
  }

  serverNow(localNowMs: number = Date.now()): number {
    return this.clock.now(localNowMs);
  }

  remaining(t: Target, localNowMs: number = Date.now()): number | null {
    if (t.status.until == null || !(t.status.state === 'Hospital' || JAIL.has(t.status.state))) return null;
    return this.clock.secondsUntil(t.status.until, localNowMs);
  }

  /**
   * Leaders' priority marks first and avoid marks last; between them callable (uncalled before
   * called), then soonest out of hospital/jail, then the rest; by id within (see row-order.ts).
   */
  rows(localNowMs: number = Date.now()): Row[] {
    const rows = [...this.targets.values()].map((target) => this.#row(target, localNowMs));
    return sortRows(rows, 'default', this.me?.id);
  }

  /** One target's row as the views show it; undefined when it is not a target of this war. */
  row(targetId: number, localNowMs: number = Date.now()): Row | undefined {
    const target = this.targets.get(targetId);
    return target && this.#row(target, localNowMs);
  }

  #row(target: Target, localNowMs: number): Row {
    return {
      target,
      call: this.callOn(target.id),
      pending: this.#proposals.has(target.id),
      remaining: this.remaining(target, localNowMs),
      mark: this.marks.get(target.id),
      watched: this.isWatched(target.id),
      earlyExit: this.recentlyOutEarly(target, localNowMs),
    };
  }

  counts(localNowMs: number = Date.now()): Counts {
    const c: Counts = { total: 0, okay: 0, hospital: 0, traveling: 0, jail: 0, other: 0, called: this.openCalls().length, callable: 0 };
    for (const r of this.rows(localNowMs)) {
      c.total++;
      const s = r.target.status.state;
      if (isOkay(r)) {
        c.okay++;
        if (!r.call) c.callable++;
      } else if (s === 'Hospital') c.hospital++;
      else if (TRAVEL.has(s)) c.traveling++;
      else if (JAIL.has(s)) c.jail++;
      else c.other++;
    }
    return c;
  }

  /** Targets still in hospital in Torn City, soonest out first (one in a hospital abroad is not out soon here). */
  nextOut(limit = 5, localNowMs: number = Date.now()): Row[] {
    return this.rows(localNowMs)
      .filter((r) => r.target.status.state === 'Hospital' && !r.target.hospitalCountry && r.remaining !== null && r.remaining > 0)
      .sort((a, b) => (a.remaining ?? 0) - (b.remaining ?? 0))
      .slice(0, limit);
  }

  #setCall(c: Call): void {
    this.calls.set(c.targetId, c);
    // The server's CALL_TTL_MS, learned from its calls, dates the calls we propose.
    if (c.expiresAt > c.at) this.#callTtlS = c.expiresAt - c.at;
  }
}

/** The call out of a `target_call` event's data, without its `warId` (or anything else it carries). */
function pickCall(d: Call): Call {
  return {
    targetId: d.targetId,
    targetName: d.targetName,
    callerId: d.callerId,
    callerName: d.callerName,
    state: d.state,
    at: d.at,
    expiresAt: d.expiresAt,
    waitingForExit: d.waitingForExit === true,
  };
}

function assistKey(a: Assist): string {
  return `${a.targetId}:${a.requester.id}`;
}

/** The assist out of an `assist` event's data, without its `warId`. */
function pickAssist(a: Assist): Assist {
  return { targetId: a.targetId, targetName: a.targetName, requester: a.requester, at: a.at, expiresAt: a.expiresAt };
}
