import type { Store } from './storage.js';
import { FiredSet } from './fired-set.js';
import { SAME_EXIT_S, type WarState } from './war-state.js';

/** A watched target is about to leave hospital (`soon`), or has left it before its time (`early`). */
export interface ExitAlert {
  targetId: number;
  name: string;
  /** The `until` of the hospital stay (Torn's clock, Unix seconds); for `early`, the stay it left (0 if unknown). */
  until: number;
  kind: 'soon' | 'early';
}

/** An early exit older than this (server clock) is old news, not an alert: seconds. */
const EARLY_ALERT_WINDOW_S = 120;
/** How long a fired exit is remembered past its `until`, in seconds. */
const KEEP_S = 3600;

/**
 * The exit alerts of watched targets (explicit watches and our own calls), on Torn's clock:
 * `soon` from `leadS` seconds before a hospital stay's `until` (not for a hospital abroad: such a
 * target is not out soon for members in Torn City), `early` once when a `target_status` event says
 * the target left early. One exit is one target and one `until`: it fires at most once, whichever
 * kind, across snapshots and (with a store) across page loads.
 */
export class ExitAlerts {
  /** The member's lead time in seconds; may change between checks. */
  leadS: number;
  readonly #fire: (a: ExitAlert) => void;
  readonly #fired: FiredSet;

  constructor(o: { leadS: number; fire(a: ExitAlert): void; store?: Store }) {
    this.leadS = o.leadS;
    this.#fire = o.fire;
    this.#fired = new FiredSet('torncat.exitAlerts', o.store);
  }

  /** Fires what is due now: call it on every change of the state and once a second. */
  check(state: WarState, localNowMs: number = Date.now()): void {
    if (!state.loaded) return;
    const now = state.serverNow(localNowMs);
    for (const t of state.targets.values()) {
      const until = t.status.until;
      if (t.status.state !== 'Hospital' || until == null || t.hospitalCountry) continue;
      const left = until - now;
      if (left <= 0 || left > this.leadS || !state.isWatched(t.id)) continue;
      this.#once(`${t.id}:${until}`, until + KEEP_S, now, { targetId: t.id, name: t.name, until, kind: 'soon' });
    }
    for (const e of state.earlyExits.values()) {
      if (now - e.at > EARLY_ALERT_WINDOW_S) continue;
      // One exit, whichever way it was learnt: by its stay's `until` (from an event), or by its time
      // (the snapshot's earlyExitAt, a little before the time this page dated the event). Keys
      // `<id>:early@<at>@<until or ?>`: two exits close in time are one unless both untils are known and differ.
      const prefix = `${e.targetId}:early@`;
      const byTime = `${prefix}${e.at}@${e.until ?? '?'}`;
      const sameExit = (k: string) => {
        if (!k.startsWith(prefix)) return false;
        const [at, until] = k.slice(prefix.length).split('@');
        return Math.abs(Number(at) - e.at) <= SAME_EXIT_S && (until === '?' || e.until === null || Number(until) === e.until);
      };
      if ([...this.#fired.keys()].some(sameExit)) continue;
      if (e.until !== null && this.#fired.has(`${e.targetId}:${e.until}`)) {
        // Its `soon` fired: remembered by time too, so that a page knowing only the time does not fire it.
        this.#fired.add(byTime, e.at + KEEP_S, now);
        continue;
      }
      const t = state.targets.get(e.targetId);
      // Back in hospital already: that exit is old news.
      if (!state.isWatched(e.targetId) || t?.status.state === 'Hospital') continue;
      if (e.until !== null) this.#fired.add(`${e.targetId}:${e.until}`, e.until + KEEP_S, now);
      this.#once(byTime, e.at + KEEP_S, now, {
        targetId: e.targetId,
        name: t?.name ?? `[${e.targetId}]`,
        until: e.until ?? 0,
        kind: 'early',
      });
    }
  }

  #once(key: string, keepUntil: number, now: number, a: ExitAlert): void {
    if (this.#fired.has(key)) return;
    this.#fired.add(key, keepUntil, now);
    this.#fire(a);
  }
}

/** The alert in words, the same on every surface: `VelvetBlade leaves hospital in 0:30`, `VelvetBlade is out of hospital early`. */
export function exitAlertText(a: ExitAlert, state: WarState, localNowMs: number = Date.now()): string {
  if (a.kind === 'early') return `${a.name} is out of hospital early`;
  const left = Math.max(0, Math.ceil(a.until - state.serverNow(localNowMs)));
  return `${a.name} leaves hospital in ${left} s`;
}
