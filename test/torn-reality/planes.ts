// `status.plane_image_type`: the picture Torn draws for a flight, and which ticket it stands for.
// Torn's spec lists three pictures; a traveller's own method has four values (Standard, Business,
// Airstrip, Private), so one picture stands for two tickets.
import type { SourceId } from './sources.js';

export type Ticket = 'standard' | 'airstrip' | 'private' | 'business';

export interface PlaneEntry {
  value: string;
  /** The tickets the picture can stand for; one when the mapping is known. */
  tickets: readonly Ticket[];
  /** Whether public evidence says so outright (true) or it is inferred from names alone (false). */
  confirmed: boolean;
  source: SourceId;
  why: string;
}

export const PLANES: readonly PlaneEntry[] = [
  {
    value: 'airliner',
    tickets: ['standard', 'business'],
    confirmed: true,
    source: 'indexAirlinerAmbiguous',
    why: 'Standard and Business Class tickets both fly an airliner; a public tracker shows such flights as a range for that reason.',
  },
  {
    value: 'light_aircraft',
    tickets: ['airstrip'],
    confirmed: false,
    source: 'tornSpec',
    why: 'The private island airstrip (FFScouter\'s "PI") flies a light aircraft; inferred from the names, not stated by a source.',
  },
  {
    value: 'private_jet',
    tickets: ['private'],
    confirmed: false,
    source: 'tornSpec',
    why: 'The WLT private jet (FFScouter\'s "WLT"); inferred from the names, not stated by a source.',
  },
];
