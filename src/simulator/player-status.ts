// A player's status as the simulator stores it, and as Torn words it at a given moment.
// Descriptions are computed when read ("In hospital for 12 mins " shrinks as time passes), as on Torn.
// Torn's wording today, as public Torn tools have recorded it (test/torn-reality/statuses.ts holds the
// entries and their sources): flights "Traveling from Torn to Mexico" and "Traveling from Mexico to
// Torn" (Torn's travel update of mid-2026; before it "Traveling to Mexico" / "Returning to Torn from
// Mexico"), "In Mexico", and time left with plural units and a trailing space, "In hospital for 1 hrs
// 3 mins ", abroad "In a Mexican hospital for 12 mins " ("an" before Argentinian and Emirati). A flight
// has no `until` (Torn gives other players' landing times to nobody: null on v2, 0 on v1) but v2 says
// which plane it flies (`plane_image_type`); a hospital stay abroad ends abroad.

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
  /** Traveling: the ticket the flight is on (it decides the flight time and the plane Torn shows). */
  ticket: SimTicket;
}

/** Torn's four tickets; a traveller's own `travel.method` says them as Standard, Business, Airstrip, Private. */
export const SIM_TICKETS = ['standard', 'business', 'airstrip', 'private'] as const;
export type SimTicket = (typeof SIM_TICKETS)[number];

/**
 * The plane Torn draws for a ticket (its spec's UserPlaneImageTypeEnum): standard and business
 * tickets both fly an airliner, the private island's airstrip a light aircraft, the WLT jet a private jet.
 */
export const PLANE_OF_TICKET: Readonly<Record<SimTicket, 'airliner' | 'light_aircraft' | 'private_jet'>> = Object.freeze({
  standard: 'airliner',
  business: 'airliner',
  airstrip: 'light_aircraft',
  private: 'private_jet',
});

/**
 * Torn's countries, one-way minutes per ticket (Torn's travel agency, after the reduction of 23 June
 * 2026) and hospital adjective. The simulator keeps its own copy of Torn's numbers rather than
 * TornCat's (src/war/travel.ts): it stands in for Torn, and TornCat's table is what it tests.
 */
export const SIM_COUNTRIES: Readonly<Record<string, { minutes: Readonly<Record<SimTicket, number>>; adjective: string }>> = Object.freeze({
  Mexico: { minutes: { standard: 24, airstrip: 17, private: 12, business: 7 }, adjective: 'Mexican' },
  'Cayman Islands': { minutes: { standard: 33, airstrip: 23, private: 17, business: 10 }, adjective: 'Caymanian' },
  Canada: { minutes: { standard: 39, airstrip: 27, private: 19, business: 12 }, adjective: 'Canadian' },
  Hawaii: { minutes: { standard: 127, airstrip: 89, private: 63, business: 38 }, adjective: 'Hawaiian' },
  'United Kingdom': { minutes: { standard: 151, airstrip: 106, private: 75, business: 45 }, adjective: 'British' },
  Argentina: { minutes: { standard: 158, airstrip: 111, private: 79, business: 47 }, adjective: 'Argentinian' },
  Switzerland: { minutes: { standard: 166, airstrip: 116, private: 83, business: 50 }, adjective: 'Swiss' },
  Japan: { minutes: { standard: 213, airstrip: 149, private: 107, business: 64 }, adjective: 'Japanese' },
  China: { minutes: { standard: 229, airstrip: 160, private: 114, business: 69 }, adjective: 'Chinese' },
  UAE: { minutes: { standard: 257, airstrip: 180, private: 128, business: 77 }, adjective: 'Emirati' },
  'South Africa': { minutes: { standard: 282, airstrip: 197, private: 141, business: 85 }, adjective: 'South African' },
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
    ticket: 'standard',
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

/**
 * Torn's way of saying how long is left, as recorded from live answers: units always plural ("1 hrs",
 * "1 mins"), hours and minutes together ("1 hrs 3 mins"), seconds under a minute, and a trailing space.
 */
function formatRemaining(seconds: number): string {
  const s = Math.max(0, Math.ceil(seconds));
  if (s < 60) return `${s} secs `;
  const mins = Math.ceil(s / 60);
  if (mins < 60) return `${mins} mins `;
  const hrs = Math.floor(mins / 60);
  const restMins = mins % 60;
  if (hrs < 24) return restMins === 0 ? `${hrs} hrs ` : `${hrs} hrs ${restMins} mins `;
  const days = Math.floor(hrs / 24);
  const restHrs = hrs % 24;
  return restHrs === 0 ? `${days} days ` : `${days} days ${restHrs} hrs `;
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
      return status.returning ? `Traveling from ${where} to Torn` : `Traveling from Torn to ${where}`;
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
