/**
 * The client's model of one faction's war board, shared by the dashboard and the userscripts: a
 * snapshot of GET /api/war plus the realtime events after its `seq`, applied once each, in order.
 * Anything the events cannot express (a reset, a new war, a target the snapshot did not have, a
 * gap in the ids) asks the caller to re-read the snapshot. Calls and releases of ours show at once,
 * before the server answers, and are taken back if it refuses them.
 */
import type { Call, CallOp } from '../../protocol/call.js';
import type { WarEvent } from '../../protocol/events.js';
import type { Snapshot } from '../../protocol/snapshot.js';
import type { Target } from '../../protocol/target.js';
import type { War } from '../../protocol/war.js';
import { ServerClock } from './server-clock.js';
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
  readonly targets = new Map<number, Target>();
  /** The open calls as the server last said, by target. */
  readonly calls = new Map<number, Call>();
  readonly clock = new ServerClock();
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
    this.targets.clear();
    for (const t of s.targets) this.targets.set(t.id, t);
    this.calls.clear();
    for (const c of s.calls) if (c.state === 'called') this.#setCall(c);
    this.clock.sync(s.serverTime, localNowMs);
    this.snapshots++;
  }

  /** Applies one event if it is the next one; says when only a fresh snapshot can make the board right. */
  apply(ev: WarEvent): ApplyResult {
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
        break;
      }
      case 'war_summary': {
        if (ev.data?.scores) this.scores = { ...ev.data.scores };
        break;
      }
      default:
        break; // an event this client does not know changes nothing it shows
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

  /** Callable first (uncalled before called), then soonest out of hospital/jail, then the rest; by id within. */
  rows(localNowMs: number = Date.now()): Row[] {
    const rows = [...this.targets.values()].map((target) => ({
      target,
      call: this.callOn(target.id),
      pending: this.#proposals.has(target.id),
      remaining: this.remaining(target, localNowMs),
    }));
    const rank = (r: Row) => (isOkay(r) ? (r.call ? 1 : 0) : r.remaining !== null ? 2 : 3);
    return rows.sort((a, b) => rank(a) - rank(b) || (a.remaining ?? 0) - (b.remaining ?? 0) || a.target.id - b.target.id);
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

  /** Targets still in hospital, soonest out first. */
  nextOut(limit = 5, localNowMs: number = Date.now()): Row[] {
    return this.rows(localNowMs)
      .filter((r) => r.target.status.state === 'Hospital' && r.remaining !== null && r.remaining > 0)
      .sort((a, b) => (a.remaining ?? 0) - (b.remaining ?? 0))
      .slice(0, limit);
  }

  #setCall(c: Call): void {
    this.calls.set(c.targetId, c);
    // The server's CALL_TTL_MS, learned from its calls, dates the calls we propose.
    if (c.expiresAt > c.at) this.#callTtlS = c.expiresAt - c.at;
  }
}

/** Okay, or a hospital/jail stay whose time is up on the server's clock (the next sync will say so). */
function isOkay(r: Row): boolean {
  return (
    r.target.status.state === 'Okay' || (r.remaining === 0 && (r.target.status.state === 'Hospital' || JAIL.has(r.target.status.state)))
  );
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
  };
}
