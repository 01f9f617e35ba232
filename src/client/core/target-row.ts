import type { Call } from '../../protocol/call.js';
import type { Target } from '../../protocol/target.js';
import { formatCountdown } from './duration-text.js';

/** One target as both views list it. */
export interface Row {
  target: Target;
  /** The open call on it as shown: the server's, or ours on its way (see WarState.propose). */
  call: Call | undefined;
  /** A call or release of ours is waiting for the server's answer. */
  pending: boolean;
  /** Seconds until the status ends on the server's clock (hospital, jail), else null. */
  remaining: number | null;
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
