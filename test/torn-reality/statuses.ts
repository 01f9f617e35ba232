// Torn's `status` as public tools have recorded it: state and description, and where the description
// puts the player. Both travel wordings are here: the old one ("Traveling to X", "Returning to Torn
// from X") may still come from caches and older answers, the current one ("Traveling from Torn to X",
// "Traveling from X to Torn") since Torn's travel update of mid-2026. Descriptions keep Torn's
// trailing space where the source recorded one.
import type { SourceId } from './sources.js';

export interface StatusEntry {
  state: string;
  description: string;
  /** Where the description puts the player; null: in Torn City (or no place at all). */
  place: { country: string; direction: 'outbound' | 'returning' | 'abroad'; inHospital: boolean } | null;
  /** `old`/`current` for the two travel wordings; `any` where Torn has one wording only. */
  wording: 'old' | 'current' | 'any';
  source: SourceId;
}

const out = (country: string) => ({ country, direction: 'outbound' as const, inHospital: false });
const back = (country: string) => ({ country, direction: 'returning' as const, inHospital: false });
const stay = (country: string) => ({ country, direction: 'abroad' as const, inHospital: false });
const bed = (country: string) => ({ country, direction: 'abroad' as const, inHospital: true });

export const STATUSES: readonly StatusEntry[] = [
  // Flights, current wording.
  { state: 'Traveling', description: 'Traveling from Torn to Canada', place: out('Canada'), wording: 'current', source: 'tornPda' },
  { state: 'Traveling', description: 'Traveling from Canada to Torn', place: back('Canada'), wording: 'current', source: 'tornPda' },
  { state: 'Traveling', description: 'Traveling from Torn to Mexico', place: out('Mexico'), wording: 'current', source: 'indexReturnLeg' },
  { state: 'Traveling', description: 'Traveling from Mexico to Torn', place: back('Mexico'), wording: 'current', source: 'indexReturnLeg' },
  {
    state: 'Traveling',
    description: 'Traveling from Torn to South Africa',
    place: out('South Africa'),
    wording: 'current',
    source: 'indexSouthAfricaAirliner',
  },
  {
    state: 'Traveling',
    description: 'Traveling from United Arab Emirates to Torn',
    place: back('UAE'),
    wording: 'current',
    source: 'indexUaeLightAircraft',
  },
  // Flights, old wording.
  { state: 'Traveling', description: 'Traveling to Canada', place: out('Canada'), wording: 'old', source: 'tornPda' },
  { state: 'Traveling', description: 'Returning to Torn from Canada', place: back('Canada'), wording: 'old', source: 'tornPda' },
  { state: 'Traveling', description: 'Traveling to Japan', place: out('Japan'), wording: 'old', source: 'ffScouterCss' },
  {
    state: 'Traveling',
    description: 'Returning to Torn from United Kingdom',
    place: back('United Kingdom'),
    wording: 'old',
    source: 'indexV1Roster',
  },
  { state: 'Traveling', description: 'Returning to Torn from Switzerland', place: back('Switzerland'), wording: 'old', source: 'yata' },
  // Landed abroad.
  { state: 'Abroad', description: 'In Canada', place: stay('Canada'), wording: 'any', source: 'tornPda' },
  { state: 'Abroad', description: 'In Switzerland', place: stay('Switzerland'), wording: 'any', source: 'tornPda' },
  { state: 'Abroad', description: 'In United Kingdom', place: stay('United Kingdom'), wording: 'any', source: 'tornPda' },
  // Hospitals abroad: every adjective TornPDA knows, durations as recorded.
  {
    state: 'Hospital',
    description: 'In a Canadian hospital for 4 mins ',
    place: bed('Canada'),
    wording: 'any',
    source: 'indexHospitalAbroadTrailing',
  },
  {
    state: 'Hospital',
    description: 'In an Emirati hospital for 14 mins ',
    place: bed('UAE'),
    wording: 'any',
    source: 'indexHospitalAbroadTrailing',
  },
  {
    state: 'Hospital',
    description: 'In a Mexican hospital for 2 hrs 24 mins ',
    place: bed('Mexico'),
    wording: 'any',
    source: 'indexHospitalAbroadTrailing',
  },
  {
    state: 'Hospital',
    description: 'In a Swiss hospital for 1 hrs 55 mins ',
    place: bed('Switzerland'),
    wording: 'any',
    source: 'indexHospitalAbroadTrailing',
  },
  {
    state: 'Hospital',
    description: 'In a Hawaiian hospital for 1 hrs 59 mins',
    place: bed('Hawaii'),
    wording: 'any',
    source: 'indexHospitalAbroadTrailing',
  },
  { state: 'Hospital', description: 'In a British hospital for 30 mins', place: bed('United Kingdom'), wording: 'any', source: 'tornPda' },
  { state: 'Hospital', description: 'In a Chinese hospital for 30 mins', place: bed('China'), wording: 'any', source: 'tornPda' },
  {
    state: 'Hospital',
    description: 'In a South African hospital for 30 mins',
    place: bed('South Africa'),
    wording: 'any',
    source: 'tornPda',
  },
  { state: 'Hospital', description: 'In an Argentinian hospital for 30 mins', place: bed('Argentina'), wording: 'any', source: 'tornPda' },
  {
    state: 'Hospital',
    description: 'In a Caymanian hospital for 30 mins',
    place: bed('Cayman Islands'),
    wording: 'any',
    source: 'tornPda',
  },
  { state: 'Hospital', description: 'In a Japanese hospital for 30 mins', place: bed('Japan'), wording: 'any', source: 'tornPda' },
  // Torn City: hospital and jail as Torn words their time left, and plain states.
  { state: 'Hospital', description: 'In hospital for 1 hrs 3 mins ', place: null, wording: 'any', source: 'indexV1Roster' },
  { state: 'Hospital', description: 'In hospital for 1 mins ', place: null, wording: 'any', source: 'indexV1Roster' },
  { state: 'Hospital', description: 'In hospital for 22 mins', place: null, wording: 'any', source: 'indexV1Roster' },
  { state: 'Hospital', description: 'In hospital for 2 secs', place: null, wording: 'any', source: 'indexHospitalCountdown' },
  { state: 'Hospital', description: 'In hospital for 2 hrs 46 mins', place: null, wording: 'any', source: 'indexHospitalCountdown' },
  { state: 'Jail', description: 'In jail for 2 hrs 5 mins ', place: null, wording: 'any', source: 'indexV1Roster' },
  { state: 'Okay', description: 'Okay', place: null, wording: 'any', source: 'indexV1Roster' },
];

// Country names and hospital adjectives as descriptions write them, longest first (so "United Arab
// Emirates" is not read as a shorter name).
const PLACES = [
  'United Arab Emirates',
  'Cayman Islands',
  'United Kingdom',
  'South Africa',
  'Switzerland',
  'Argentina',
  'Mexico',
  'Canada',
  'Hawaii',
  'Japan',
  'China',
  'UAE',
  'Mexican',
  'Caymanian',
  'Canadian',
  'Hawaiian',
  'British',
  'Argentinian',
  'Swiss',
  'Japanese',
  'Chinese',
  'Emirati',
  'South African',
].sort((a, b) => b.length - a.length);
const PLACE_RE = new RegExp(`\\b(?:${PLACES.join('|')})\\b`, 'g');

/**
 * The shape of a description with its numbers and places taken out, trailing space dropped (the
 * corpus has it both ways): "In a Swiss hospital for 1 hrs 55 mins " → "In a X hospital for N hrs N mins".
 */
export function wordingShape(description: string): string {
  return description.replace(PLACE_RE, 'X').replace(/\d+/g, 'N').trimEnd();
}
