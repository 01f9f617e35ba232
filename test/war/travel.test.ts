// Reading where a target is from Torn's wording, and timing flights from Torn's table.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  FLIGHT_MINUTES,
  HOSPITAL_ADJECTIVES,
  TORN_COUNTRIES,
  flightSeconds,
  readWhereabouts,
  sameFlight,
  tornCountry,
  travelOf,
  type TornCountry,
} from '../../src/war/travel.js';

const country = fc.constantFrom(...TORN_COUNTRIES);
/** Torn's hospital countdown ("42 secs", "12 mins", "1 hr 5 mins", "2 hrs"), or none. */
const left = fc.oneof(
  fc.constant(''),
  fc.integer({ min: 1, max: 59 }).map((n) => ` for ${n} sec${n === 1 ? '' : 's'}`),
  fc.integer({ min: 1, max: 59 }).map((n) => ` for ${n} min${n === 1 ? '' : 's'}`),
  fc
    .tuple(fc.integer({ min: 1, max: 23 }), fc.integer({ min: 0, max: 59 }))
    .map(([h, m]) => ` for ${h} hr${h === 1 ? '' : 's'}${m ? ` ${m} mins` : ''}`),
);
const article = (c: TornCountry) => (/^[AEIOU]/.test(HOSPITAL_ADJECTIVES[c]) ? 'an' : 'a');

test('every Torn country has its four flight times, business < private < airstrip < standard', () => {
  assert.equal(TORN_COUNTRIES.length, 11);
  for (const c of TORN_COUNTRIES) {
    const t = FLIGHT_MINUTES[c];
    assert.ok(t.business < t.private && t.private < t.airstrip && t.airstrip < t.standard, c);
  }
  assert.equal(flightSeconds('Mexico', 'standard'), 24 * 60);
  assert.equal(flightSeconds('South Africa', 'business'), 85 * 60);
});

test('any Torn flight, stay or hospital abroad reads back as its country and direction, whatever the countdown', () => {
  fc.assert(
    fc.property(country, left, fc.constantFrom('', ' '), (c, countdown, pad) => {
      assert.deepEqual(readWhereabouts('Traveling', `Traveling to ${c}${pad}`), { country: c, direction: 'outbound', inHospital: false });
      assert.deepEqual(readWhereabouts('Traveling', `Returning to Torn from ${c}`), {
        country: c,
        direction: 'returning',
        inHospital: false,
      });
      assert.deepEqual(readWhereabouts('Abroad', `In ${c}`), { country: c, direction: 'abroad', inHospital: false });
      const hospital = `In ${article(c)} ${HOSPITAL_ADJECTIVES[c]} hospital${countdown}${pad}`;
      assert.deepEqual(readWhereabouts('Hospital', hospital), { country: c, direction: 'abroad', inHospital: true });
    }),
  );
});

test('Torn City and unknown wording read as no whereabouts', () => {
  fc.assert(
    fc.property(left, fc.constantFrom('Okay', 'Hospital', 'Jail', 'Federal', 'Fallen'), (countdown, state) => {
      assert.equal(readWhereabouts('Hospital', `In hospital${countdown}`), null);
      assert.equal(readWhereabouts('Jail', `In jail${countdown}`), null);
      assert.equal(readWhereabouts(state, 'Okay'), null);
    }),
  );
  assert.equal(readWhereabouts('Traveling', 'Traveling to Atlantis'), null);
  assert.equal(readWhereabouts('Hospital', 'In a Martian hospital for 3 mins'), null);
  assert.equal(readWhereabouts('Okay', 'In Mexico'), null, 'the state decides which wording applies');
});

test("Torn's other spellings of a country are the table's names", () => {
  assert.equal(tornCountry('United Arab Emirates'), 'UAE');
  assert.equal(tornCountry('uk'), 'United Kingdom');
  assert.equal(tornCountry('cayman islands'), 'Cayman Islands');
  assert.equal(tornCountry('Narnia'), null);
});

test('a flight seen starting lands its ticket’s flight time later; without the ticket, between the fastest and the slowest it may be on', () => {
  fc.assert(
    fc.property(
      country,
      fc.constantFrom('outbound', 'returning') as fc.Arbitrary<'outbound' | 'returning'>,
      fc.integer({ min: 1_700_000_000, max: 2_000_000_000 }),
      (c, direction, seen) => {
        const w = { country: c, direction, inHospital: false };
        const at = (t: keyof (typeof FLIGHT_MINUTES)[TornCountry]) => seen + FLIGHT_MINUTES[c][t] * 60;
        // An airliner flies the standard and the business ticket: a bracket.
        assert.deepEqual(travelOf(w, seen, 'airliner'), {
          destination: c,
          direction,
          ticket: null,
          eta: at('standard'),
          earliestEta: at('business'),
        });
        // The light aircraft is the airstrip's, the private jet the WLT's: one landing time.
        assert.deepEqual(travelOf(w, seen, 'light_aircraft'), {
          destination: c,
          direction,
          ticket: 'airstrip',
          eta: at('airstrip'),
          earliestEta: at('airstrip'),
        });
        assert.deepEqual(travelOf(w, seen, 'private_jet'), {
          destination: c,
          direction,
          ticket: 'private',
          eta: at('private'),
          earliestEta: at('private'),
        });
        // Torn did not say (v1), or said something new: any ticket.
        for (const plane of [null, 'hot_air_balloon']) {
          assert.deepEqual(travelOf(w, seen, plane), {
            destination: c,
            direction,
            ticket: null,
            eta: at('standard'),
            earliestEta: at('business'),
          });
        }
        assert.deepEqual(travelOf(w, null, 'private_jet'), { destination: c, direction, ticket: 'private', eta: null, earliestEta: null });
        assert.deepEqual(travelOf({ country: c, direction: 'abroad', inHospital: false }, seen, 'private_jet'), {
          destination: c,
          direction: 'abroad',
          ticket: null,
          eta: null,
          earliestEta: null,
        });
      },
    ),
  );
  assert.equal(travelOf(null, 1), null);
});

test('the same flight is the same way to the same country; a stay abroad is no flight', () => {
  const out = readWhereabouts('Traveling', 'Traveling to Japan');
  assert.equal(sameFlight(out, readWhereabouts('Traveling', 'Traveling to Japan')), true);
  assert.equal(sameFlight(out, readWhereabouts('Traveling', 'Returning to Torn from Japan')), false);
  assert.equal(sameFlight(out, readWhereabouts('Traveling', 'Traveling to China')), false);
  assert.equal(sameFlight(readWhereabouts('Abroad', 'In Japan'), readWhereabouts('Abroad', 'In Japan')), false);
  assert.equal(sameFlight(out, null), false);
});
