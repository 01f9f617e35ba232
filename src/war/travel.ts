// Where a target is, read from Torn's status wording, and when a flight lands, from Torn's flight
// times and the plane Torn draws for it. Torn's API does not give another player's landing time (a
// Traveling status has `until` null, v1's 0), so the landing time is the flight time of the ticket the
// plane tells, counted from when TornCat saw the flight start.
import type { TicketClass, Travel } from '../protocol/intel.js';

/** The countries Torn flies to, named as Torn's status descriptions write them. */
export const TORN_COUNTRIES = [
  'Mexico',
  'Cayman Islands',
  'Canada',
  'Hawaii',
  'United Kingdom',
  'Argentina',
  'Switzerland',
  'Japan',
  'China',
  'UAE',
  'South Africa',
] as const;
export type TornCountry = (typeof TORN_COUNTRIES)[number];

export type { TicketClass };

/**
 * The tickets each `status.plane_image_type` (Torn's spec: airliner, light_aircraft, private_jet)
 * stands for. An airliner flies both the standard and the business-class ticket, which public
 * trackers say outright (so a flight on one is bracketed); the light aircraft is the private island's
 * airstrip and the private jet the WLT jet, as the names say (no public source states those two; see
 * test/torn-reality/planes.ts). An unknown or missing plane says nothing: every ticket.
 */
const PLANE_TICKETS: Readonly<Record<string, readonly TicketClass[]>> = Object.freeze({
  airliner: ['standard', 'business'],
  light_aircraft: ['airstrip'],
  private_jet: ['private'],
});
const ALL_TICKETS: readonly TicketClass[] = ['standard', 'airstrip', 'private', 'business'];

/** The tickets a flight on this plane can be on; all four when Torn did not say or said something new. */
function ticketsOf(plane: string | null | undefined): readonly TicketClass[] {
  return (plane ? PLANE_TICKETS[plane] : undefined) ?? ALL_TICKETS;
}

/**
 * One-way flight minutes from Torn City, per ticket. Source: the Torn wiki's "Travel" page (Torn's
 * travel agency shows the same times), as it stands after Torn's travel-time reduction of 23 June
 * 2026; checked against the tables of several public Torn userscripts that quote that page (they
 * agree to the minute; older scripts still carry the earlier times, Mexico 26 … South Africa 297).
 * A return flight takes as long as the way out. Torn varies a flight by a few percent either way,
 * so a landing is an estimate to about a minute on the long routes.
 */
export const FLIGHT_MINUTES: Readonly<Record<TornCountry, Readonly<Record<TicketClass, number>>>> = Object.freeze({
  Mexico: { standard: 24, airstrip: 17, private: 12, business: 7 },
  'Cayman Islands': { standard: 33, airstrip: 23, private: 17, business: 10 },
  Canada: { standard: 39, airstrip: 27, private: 19, business: 12 },
  Hawaii: { standard: 127, airstrip: 89, private: 63, business: 38 },
  'United Kingdom': { standard: 151, airstrip: 106, private: 75, business: 45 },
  Argentina: { standard: 158, airstrip: 111, private: 79, business: 47 },
  Switzerland: { standard: 166, airstrip: 116, private: 83, business: 50 },
  Japan: { standard: 213, airstrip: 149, private: 107, business: 64 },
  China: { standard: 229, airstrip: 160, private: 114, business: 69 },
  UAE: { standard: 257, airstrip: 180, private: 128, business: 77 },
  'South Africa': { standard: 282, airstrip: 197, private: 141, business: 85 },
});

/**
 * The adjective of Torn's hospital-abroad wording, "In a Swiss hospital for 2 hrs", per country;
 * Torn writes "an" before Argentinian and Emirati. Checked against descriptions quoted in public Torn
 * tools' tests (observed on live faction rosters).
 */
export const HOSPITAL_ADJECTIVES: Readonly<Record<TornCountry, string>> = Object.freeze({
  Mexico: 'Mexican',
  'Cayman Islands': 'Caymanian',
  Canada: 'Canadian',
  Hawaii: 'Hawaiian',
  'United Kingdom': 'British',
  Argentina: 'Argentinian',
  Switzerland: 'Swiss',
  Japan: 'Japanese',
  China: 'Chinese',
  UAE: 'Emirati',
  'South Africa': 'South African',
});

// Other spellings of a country that Torn has been seen to use, mapped to the table's name.
const ALIASES: Readonly<Record<string, TornCountry>> = {
  'united arab emirates': 'UAE',
  uk: 'United Kingdom',
  'cayman island': 'Cayman Islands',
};

const BY_NAME = new Map<string, TornCountry>([...TORN_COUNTRIES.map((c) => [c.toLowerCase(), c] as const), ...Object.entries(ALIASES)]);
const BY_ADJECTIVE = new Map<string, TornCountry>(TORN_COUNTRIES.map((c) => [HOSPITAL_ADJECTIVES[c].toLowerCase(), c]));

/** A Torn country from a name as Torn writes it, whatever its case; null for anything else. */
export function tornCountry(name: string): TornCountry | null {
  return BY_NAME.get(name.trim().toLowerCase()) ?? null;
}

/** Where a status says the player is, when it is not Torn City. */
export interface Whereabouts {
  country: TornCountry;
  direction: Travel['direction'];
  /** In a hospital abroad ("In a Swiss hospital …"): direction is `abroad`. */
  inHospital: boolean;
}

// Torn's travel update (mid-2026) words a flight "Traveling from Torn to Canada" and "Traveling from
// Canada to Torn"; before it, "Traveling to Canada" and "Returning to Torn from Canada". Both are
// read: cached and older answers still carry the old wording.
const OUTBOUND = /^Traveling (?:from Torn )?to (.+?)\s*$/i;
const RETURNING = /^(?:Returning to Torn from (.+?)|Traveling from (.+?) to Torn)\s*$/i;
const ABROAD = /^In (.+?)\s*$/i;
const HOSPITAL_ABROAD = /^In an? (.+?) hospital\b/i;

/**
 * Reads Torn's state and description: "Traveling from Torn to Mexico" or "Traveling to Mexico"
 * (outbound), "Traveling from Mexico to Torn" or "Returning to Torn from Mexico" (returning), "In
 * Mexico" (Abroad), "In a Mexican hospital for 12 mins" (Hospital, abroad).
 * Null in Torn City ("In hospital for 12 mins", "Okay", …) and for wording it does not know.
 */
export function readWhereabouts(state: string, description: string): Whereabouts | null {
  const d = description.trim();
  if (state === 'Traveling') {
    const back = RETURNING.exec(d);
    if (back) return place(tornCountry(back[1] ?? back[2]), 'returning', false);
    const out = OUTBOUND.exec(d);
    return out ? place(tornCountry(out[1]), 'outbound', false) : null;
  }
  if (state === 'Abroad') {
    const stay = ABROAD.exec(d);
    return stay ? place(tornCountry(stay[1]), 'abroad', false) : null;
  }
  if (state === 'Hospital') {
    const bed = HOSPITAL_ABROAD.exec(d);
    return bed ? place(BY_ADJECTIVE.get(bed[1].toLowerCase()) ?? null, 'abroad', true) : null;
  }
  return null;
}

function place(country: TornCountry | null, direction: Travel['direction'], inHospital: boolean): Whereabouts | null {
  return country === null ? null : { country, direction, inHospital };
}

/** Two readings describe the same flight (same way, same country). */
export function sameFlight(a: Whereabouts | null, b: Whereabouts | null): boolean {
  return a !== null && b !== null && a.direction !== 'abroad' && a.direction === b.direction && a.country === b.country;
}

/** Flight time in seconds. */
export function flightSeconds(country: TornCountry, ticket: TicketClass): number {
  return FLIGHT_MINUTES[country][ticket] * 60;
}

/**
 * The wire's travel for a reading. `departedAt` is when TornCat saw the flight start (Torn's clock),
 * null when its first sight of the target was already in the air: then no landing time is given,
 * since "seen + flight time" would only bound it from above and could be off by a whole flight.
 * `plane` is Torn's `plane_image_type` for the flight: one ticket gives one landing time, an airliner
 * (standard or business) or an unknown plane a bracket from the fastest to the slowest.
 */
export function travelOf(w: Whereabouts | null, departedAt: number | null, plane: string | null = null): Travel | null {
  if (w === null) return null;
  const timed = w.direction !== 'abroad' && departedAt !== null;
  const tickets = ticketsOf(plane);
  const times = tickets.map((t) => flightSeconds(w.country, t));
  return {
    destination: w.country,
    direction: w.direction,
    ticket: w.direction !== 'abroad' && tickets.length === 1 ? tickets[0] : null,
    eta: timed ? departedAt + Math.max(...times) : null,
    earliestEta: timed ? departedAt + Math.min(...times) : null,
  };
}
