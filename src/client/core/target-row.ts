import type { Call } from '../../protocol/call.js';
import type { TargetMark, Travel } from '../../protocol/intel.js';
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
  /** A leader's mark on it. */
  mark: TargetMark | undefined;
  /** This member is alerted before it leaves hospital (watched, or under our own call). */
  watched: boolean;
  /** It left hospital early a moment ago (see EARLY_EXIT_HIGHLIGHT_S). */
  earlyExit: boolean;
}

/** What a row's status cell says: `Hosp 12:04`, `In a Swiss hospital 12:04`, `Out now`, `→ Mexico, lands ~12:34`, `Okay`. */
export function statusText(r: Row): string {
  const t = r.target;
  const s = t.status;
  if (r.remaining !== null) {
    if (r.remaining <= 0) return r.earlyExit ? 'Out early' : 'Out now';
    if (s.state === 'Hospital' && t.hospitalCountry)
      return `${capitalized(hospitalAbroadText(t.hospitalCountry, s.description))} ${formatCountdown(r.remaining)}`;
    return `${s.state === 'Hospital' ? 'Hosp' : s.state} ${formatCountdown(r.remaining)}`;
  }
  if (t.travel) return travelText(t.travel);
  if (s.state === 'Traveling' || s.state === 'Abroad') return s.description || s.state;
  if (r.earlyExit && s.state === 'Okay') return 'Out early';
  return s.state;
}

/**
 * A journey in a few words, landing times on Torn's clock (TCT, which is UTC): `→ Mexico, lands
 * ~12:34` when the plane tells the ticket, `← from Mexico, lands 12:17–12:34` when it does not (an
 * airliner flies standard or business), `in Mexico`.
 */
export function travelText(travel: Travel): string {
  const eta = travel.eta ?? travel.earliestEta;
  const first = travel.earliestEta;
  const lands =
    eta === null ? '' : first !== null && first < eta ? `, lands ${tctTime(first)}–${tctTime(eta)}` : `, lands ~${tctTime(eta)}`;
  if (travel.direction === 'outbound') return `→ ${travel.destination}${lands}`;
  if (travel.direction === 'returning') return `← from ${travel.destination}${lands}`;
  return `in ${travel.destination}`;
}

/**
 * Where a target lies in hospital abroad, in Torn's own words (its description reads "In a Swiss
 * hospital for 12 mins"): `in a Swiss hospital`; `in a hospital in Switzerland` when the
 * description says no more.
 */
export function hospitalAbroadText(country: string, description = ''): string {
  const m = /^In (an? [A-Za-z ]+? hospital)\b/i.exec(description);
  return m ? `in ${m[1]}` : `in a hospital in ${country}`;
}

/** Who holds the call, as the row's caller cell says it: `you`, `MadRook`, `you (for exit)`. */
export function callerText(call: Call, meId: number | undefined): string {
  return `${call.callerId === meId ? 'you' : call.callerName}${call.waitingForExit ? ' (for exit)' : ''}`;
}

/** okay | hospital | away | other: the row's colour. */
export function rowClass(r: Row): string {
  const s = r.target.status.state;
  if (s === 'Okay' || r.remaining === 0) return 'okay';
  if (s === 'Hospital') return 'hospital';
  if (s === 'Traveling' || s === 'Abroad') return 'away';
  return 'other';
}

/** Extra classes for a row: `priority` or `avoid` (a leader's mark), `early` (just out of hospital early), `watched`. */
export function rowFlags(r: Row): string[] {
  const out: string[] = [];
  if (r.mark?.mark === 'priority' || r.mark?.mark === 'avoid') out.push(r.mark.mark);
  if (r.earlyExit) out.push('early');
  if (r.watched) out.push('watched');
  return out;
}

/** A leader's mark in words: `Priority`, `Avoid`, `Note`, with its note. */
export function markText(m: TargetMark): string {
  const kind = m.mark === 'priority' ? 'Priority' : m.mark === 'avoid' ? 'Avoid' : 'Note';
  return m.note ? `${kind}: ${m.note}` : kind;
}

function tctTime(unixS: number): string {
  const d = new Date(unixS * 1000);
  return `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
}

function capitalized(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
