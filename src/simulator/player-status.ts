// A player's status as the simulator stores it, and as Torn words it at a given moment.
// Descriptions are computed when read ("In hospital for 12 mins" shrinks as time passes), as on Torn.
// Torn's wording, as observed on live faction rosters and quoted by public Torn tools: "Traveling to
// Mexico", "Returning to Torn from Mexico", "In Mexico", and abroad "In a Mexican hospital for 12
// mins" ("an" before Argentinian and Emirati). A flight has no `until` (Torn gives other players'
// landing times to nobody: null on v2, 0 on v1), and a hospital stay abroad ends abroad.

export const TORN_STATES = ['Okay', 'Hospital', 'Traveling', 'Abroad', 'Jail', 'Federal', 'Fallen', 'Awoken', 'Dormant'] as const;
export type TornState = (typeof TORN_STATES)[number];

export interface SimStatus {
  state: TornState;
  /** Unix seconds when a Hospital/Jail/Federal stay ends; null when it has no end. */
  until: number | null;
  details: string | null;
  /** Country for Traveling/Abroad; for Hospital, the country of a hospital abroad (null: Torn City). */
  destination: string | null;
  /** Traveling back to Torn rather than out to `destination`. */
  returning: boolean;
  /** Text pinned through /__sim; null means "word it like Torn would". */
  description: string | null;
  /** Torn's `has_early_discharge`: this hospital stay may end early. */
  earlyDischarge: boolean;
  /** Torn's `is_revivable`, when set by hand; null: in hospital and the revive setting allows it. */
  revivable: boolean | null;
}

/** Torn's countries, airliner (standard ticket) one-way minutes, and hospital adjective. */
export const SIM_COUNTRIES: Readonly<Record<string, { minutes: number; adjective: string }>> = Object.freeze({
  Mexico: { minutes: 24, adjective: 'Mexican' },
  'Cayman Islands': { minutes: 33, adjective: 'Caymanian' },
  Canada: { minutes: 39, adjective: 'Canadian' },
  Hawaii: { minutes: 127, adjective: 'Hawaiian' },
  'United Kingdom': { minutes: 151, adjective: 'British' },
  Argentina: { minutes: 158, adjective: 'Argentinian' },
  Switzerland: { minutes: 166, adjective: 'Swiss' },
  Japan: { minutes: 213, adjective: 'Japanese' },
  China: { minutes: 229, adjective: 'Chinese' },
  UAE: { minutes: 257, adjective: 'Emirati' },
  'South Africa': { minutes: 282, adjective: 'South African' },
});

function hospitalAbroad(country: string): string {
  const adjective = SIM_COUNTRIES[country]?.adjective ?? country;
  return `In ${/^[AEIOU]/.test(adjective) ? 'an' : 'a'} ${adjective} hospital`;
}

/** What both API versions show; v1 and v2 differ only in how "none" is written. */
export interface StatusView {
  state: TornState;
  description: string;
  details: string | null;
  until: number | null;
  color: string;
}

export interface LastActionView {
  status: 'Online' | 'Idle' | 'Offline';
  timestamp: number;
  relative: string;
}

export function okayStatus(): SimStatus {
  return {
    state: 'Okay',
    until: null,
    details: null,
    destination: null,
    returning: false,
    description: null,
    earlyDischarge: false,
    revivable: null,
  };
}

const COLORS: Record<TornState, string> = {
  Okay: 'green',
  Hospital: 'red',
  Jail: 'red',
  Federal: 'red',
  Fallen: 'red',
  Traveling: 'blue',
  Abroad: 'blue',
  Awoken: 'green',
  Dormant: 'blue',
};

function plural(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}

/** Torn's way of saying how long is left: "42 secs", "12 mins", "1 hr 5 mins", "2 days 3 hrs". */
function formatRemaining(seconds: number): string {
  const s = Math.max(0, Math.ceil(seconds));
  if (s < 60) return plural(s, 'sec');
  const mins = Math.ceil(s / 60);
  if (mins < 60) return plural(mins, 'min');
  const hrs = Math.floor(mins / 60);
  const restMins = mins % 60;
  if (hrs < 24) return restMins === 0 ? plural(hrs, 'hr') : `${plural(hrs, 'hr')} ${plural(restMins, 'min')}`;
  const days = Math.floor(hrs / 24);
  const restHrs = hrs % 24;
  return restHrs === 0 ? plural(days, 'day') : `${plural(days, 'day')} ${plural(restHrs, 'hr')}`;
}

/** True when a timed stay is over: Torn shows such a player as Okay even before anything else happens. */
function hasExpired(status: SimStatus, now: number): boolean {
  return (
    (status.state === 'Hospital' || status.state === 'Jail' || status.state === 'Federal') && status.until !== null && status.until <= now
  );
}

function defaultDescription(status: SimStatus, now: number): string {
  const left = status.until === null ? null : formatRemaining(status.until - now);
  const where = status.destination ?? 'Mexico';
  switch (status.state) {
    case 'Okay':
      return 'Okay';
    case 'Hospital': {
      const where = status.destination === null ? 'In hospital' : hospitalAbroad(status.destination);
      return left === null ? where : `${where} for ${left}`;
    }
    case 'Jail':
      return left === null ? 'In jail' : `In jail for ${left}`;
    case 'Federal':
      return left === null ? 'In federal jail permanently' : `In federal jail for ${left}`;
    case 'Traveling':
      return status.returning ? `Returning to Torn from ${where}` : `Traveling to ${where}`;
    case 'Abroad':
      return `In ${where}`;
    case 'Fallen':
      return 'Fallen';
    case 'Awoken':
      return 'Awoken';
    case 'Dormant':
      return 'Dormant';
  }
}

export function viewStatus(status: SimStatus, now: number): StatusView {
  if (hasExpired(status, now)) {
    // Out of a hospital abroad is abroad, still in that country.
    if (status.state === 'Hospital' && status.destination !== null) {
      return { state: 'Abroad', description: `In ${status.destination}`, details: null, until: null, color: COLORS.Abroad };
    }
    return { state: 'Okay', description: 'Okay', details: null, until: null, color: COLORS.Okay };
  }
  return {
    state: status.state,
    description: status.description ?? defaultDescription(status, now),
    details: status.details,
    until: status.state === 'Traveling' || status.state === 'Abroad' ? null : status.until,
    color: COLORS[status.state],
  };
}

export function viewLastAction(timestamp: number, now: number): LastActionView {
  const ago = Math.max(0, now - timestamp);
  const status = ago < 5 * 60 ? 'Online' : ago < 30 * 60 ? 'Idle' : 'Offline';
  const mins = Math.floor(ago / 60);
  const relative =
    mins < 60
      ? `${plural(mins, 'minute')} ago`
      : mins < 24 * 60
        ? `${plural(Math.floor(mins / 60), 'hour')} ago`
        : `${plural(Math.floor(mins / 1440), 'day')} ago`;
  return { status, timestamp, relative };
}
