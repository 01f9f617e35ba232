/**
 * The client's model of one faction's war board, shared by the dashboard and the userscripts
 * (browser-safe, bundled into both): a snapshot of GET /api/war plus the realtime events after its
 * `seq`, applied once each, in order. Anything the events cannot express (a reset, a new war, a
 * target the snapshot did not have, a gap in the ids) asks the caller to re-read the snapshot.
 */

import type { CallView } from '../war/calls.js';
import type { War } from '../war/wars.js';

export interface TargetStatus {
  state: string;
  description: string;
  details: string;
  until: number | null;
}

export interface Target {
  id: number;
  name: string;
  level: number;
  status: TargetStatus;
  lastAction: { status: string | null; timestamp: number | null };
  links: { profile: string; attack: string };
}

// The server's own shapes (type-only imports: nothing of the server reaches the browser bundle).
export type Call = CallView;
export type { War };

export interface Snapshot {
  seq: number;
  me: { id: number; name: string; keyStatus: string };
  war: War | null;
  summary: { scores: Record<string, number> } | null;
  targets: Target[];
  calls: Call[];
  serverTime: number;
}

/** One event of any transport: SSE frame, WebSocket message or long-poll item. */
export interface WarEvent {
  id: number;
  event: string;
  data: any;
}

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

export interface Row {
  target: Target;
  call: Call | undefined;
  /** Seconds until the status ends on the server's clock (hospital, jail), else null. */
  remaining: number | null;
}

const TRAVEL = new Set(['Traveling', 'Abroad']);
const JAIL = new Set(['Jail', 'Federal']);

export class WarState {
  seq = -1;
  me: Snapshot['me'] | null = null;
  war: War | null = null;
  scores: Record<string, number> = {};
  readonly targets = new Map<number, Target>();
  readonly calls = new Map<number, Call>();
  /** serverTime − local time at the snapshot, in seconds: the countdowns run on the server's clock. */
  offset = 0;
  snapshots = 0;
  eventsApplied = 0;

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
    for (const c of s.calls) if (c.state === 'called') this.calls.set(c.targetId, c);
    this.offset = s.serverTime - localNowMs / 1000;
    this.snapshots++;
  }

  /** Applies one event if it is the next one; says when only a fresh snapshot can make the board right. */
  apply(ev: WarEvent): ApplyResult {
    if (ev.id <= this.seq) return 'duplicate';
    if (ev.event === 'reset' || ev.event === 'war') return 'resnapshot';
    // The faction's ids are gap-free: a hole means something was missed.
    if (this.seq >= 0 && ev.id !== this.seq + 1) return 'resnapshot';
    const d = ev.data ?? {};
    if (this.war && d.warId !== undefined && d.warId !== this.war.id) return 'resnapshot';
    switch (ev.event) {
      case 'target_call': {
        if (d.state === 'called') this.calls.set(d.targetId, pickCall(d));
        else if (this.calls.get(d.targetId)?.callerId === d.callerId) this.calls.delete(d.targetId);
        break;
      }
      case 'target_status': {
        const t = this.targets.get(d.targetId);
        if (!t) return 'resnapshot';
        t.status = { state: d.state, description: d.description ?? '', details: d.details ?? '', until: d.until ?? null };
        if (d.lastAction) t.lastAction = d.lastAction;
        break;
      }
      case 'war_summary': {
        if (d.scores) this.scores = { ...d.scores };
        break;
      }
      default:
        break; // an event this client does not know changes nothing it shows
    }
    this.seq = ev.id;
    this.eventsApplied++;
    return 'applied';
  }

  serverNow(localNowMs: number = Date.now()): number {
    return localNowMs / 1000 + this.offset;
  }

  remaining(t: Target, localNowMs: number = Date.now()): number | null {
    if (t.status.until == null || !(t.status.state === 'Hospital' || JAIL.has(t.status.state))) return null;
    return Math.max(0, Math.ceil(t.status.until - this.serverNow(localNowMs)));
  }

  /** Callable first (uncalled before called), then soonest out of hospital/jail, then the rest; by id within. */
  rows(localNowMs: number = Date.now()): Row[] {
    const rows = [...this.targets.values()].map((target) => ({
      target,
      call: this.calls.get(target.id),
      remaining: this.remaining(target, localNowMs),
    }));
    const rank = (r: Row) => (isOkay(r) ? (r.call ? 1 : 0) : r.remaining !== null ? 2 : 3);
    return rows.sort((a, b) => rank(a) - rank(b) || (a.remaining ?? 0) - (b.remaining ?? 0) || a.target.id - b.target.id);
  }

  counts(localNowMs: number = Date.now()): Counts {
    const c: Counts = { total: 0, okay: 0, hospital: 0, traveling: 0, jail: 0, other: 0, called: this.calls.size, callable: 0 };
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
}

/** Okay, or a hospital/jail stay whose time is up on the server's clock (the next sync will say so). */
function isOkay(r: Row): boolean {
  return (
    r.target.status.state === 'Okay' || (r.remaining === 0 && (r.target.status.state === 'Hospital' || JAIL.has(r.target.status.state)))
  );
}

function pickCall(d: any): Call {
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

/** `3:07`, `1:02:09`; `0:00` once done. */
export function formatCountdown(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** `12 s ago`, `5 min ago`, `3 h ago`, `2 d ago`. */
export function formatAgo(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86400)} d ago`;
}

/** The text of an API error answer `{"error":{"code","message"}}`, or a fallback. */
export function errorText(body: unknown, fallback: string): string {
  const e = (body as { error?: { code?: string; message?: string } } | null)?.error;
  return e?.message ? e.message : fallback;
}

/** What a row's status cell says: `Hosp 12:04`, `Out now`, `Traveling to Mexico`, `Okay`. */
export function statusText(r: Row): string {
  const s = r.target.status;
  if (r.remaining !== null)
    return r.remaining > 0 ? `${s.state === 'Hospital' ? 'Hosp' : s.state} ${formatCountdown(r.remaining)}` : 'Out now';
  if (s.state === 'Traveling' || s.state === 'Abroad') return s.description || s.state;
  return s.state;
}

/** okay | hospital | away | other: the row's colour. */
export function rowClass(r: Row): string {
  const s = r.target.status.state;
  if (s === 'Okay' || r.remaining === 0) return 'okay';
  if (s === 'Hospital') return 'hospital';
  if (s === 'Traveling' || s === 'Abroad') return 'away';
  return 'other';
}
