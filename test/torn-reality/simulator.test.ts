// The simulator held against the reality corpus: it speaks today's Torn (the current travel wording,
// time left as Torn words it, the plane of each flight), and every description it gives has the shape
// of one public tools recorded, and reads back in TornCat as the place the simulator put the player.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readWhereabouts } from '../../src/war/travel.js';
import { keyOf, openSimulator, type SimHandle } from '../simulator/helpers.js';
import { STATUSES, wordingShape } from './statuses.js';
import { PLANES } from './planes.js';
import { spec } from '../helpers/torn-spec.js';

let h: SimHandle;
before(async () => {
  h = await openSimulator({ dynamic: false });
});
after(() => h.sim.close());

let reads = 0;

/** Shapes of today's Torn: the current travel wording and the wordings that never changed. */
const TODAY = new Set(STATUSES.filter((s) => s.wording !== 'old').map((s) => wordingShape(s.description)));

async function statusOf(id: number): Promise<{ state: string; description: string; until: number | null; plane_image_type?: string }> {
  // `timestamp` skips Torn's 29-second cache, as Torn documents: each read sees the status just set.
  const members = (await h.torn(`/v2/faction/1002/members?key=${keyOf(2001)}&timestamp=${++reads}`)).members as Array<{
    id: number;
    status: any;
  }>;
  return members.find((m) => m.id === id)!.status;
}

test('every status the simulator words has the shape of one public tools recorded from today’s Torn, and reads back as where it put the player', async () => {
  const now = (await h.control('GET', '/__sim/clock')).now as number;
  const cases: Array<[Record<string, unknown>, { country: string; direction: string; inHospital: boolean } | null]> = [
    [
      { state: 'Traveling', destination: 'Canada' },
      { country: 'Canada', direction: 'outbound', inHospital: false },
    ],
    [
      { state: 'Traveling', destination: 'Canada', returning: true },
      { country: 'Canada', direction: 'returning', inHospital: false },
    ],
    [
      { state: 'Traveling', destination: 'UAE', returning: true, ticket: 'airstrip' },
      { country: 'UAE', direction: 'returning', inHospital: false },
    ],
    [
      { state: 'Abroad', destination: 'Switzerland' },
      { country: 'Switzerland', direction: 'abroad', inHospital: false },
    ],
    [
      { state: 'Hospital', destination: 'UAE', until: now + 14 * 60 },
      { country: 'UAE', direction: 'abroad', inHospital: true },
    ],
    [
      { state: 'Hospital', destination: 'Mexico', until: now + 2 * 3600 + 24 * 60 },
      { country: 'Mexico', direction: 'abroad', inHospital: true },
    ],
    [{ state: 'Hospital', until: now + 30 }, null],
    [{ state: 'Hospital', until: now + 22 * 60 }, null],
    [{ state: 'Hospital', until: now + 3600 + 48 * 60 }, null],
    [{ state: 'Jail', until: now + 2 * 3600 + 5 * 60 }, null],
    [{ state: 'Okay' }, null],
  ];
  for (const [input, place] of cases) {
    await h.control('POST', '/__sim/players/3001/status', input);
    const s = await statusOf(3001);
    assert.ok(
      TODAY.has(wordingShape(s.description)),
      `"${s.description}" (${JSON.stringify(input)}) has no shape public tools recorded: ${[...TODAY].join(' | ')}`,
    );
    const w = readWhereabouts(s.state, s.description);
    assert.deepEqual(w && { country: w.country, direction: w.direction, inHospital: w.inHospital }, place, s.description);
  }
});

test('a flight’s plane_image_type is Torn’s picture of its ticket, one of the spec’s values; no other state has one', async () => {
  const specPlanes: string[] = spec.components.schemas.UserPlaneImageTypeEnum.enum;
  assert.deepEqual([...specPlanes].sort(), PLANES.map((p) => p.value).sort(), 'the corpus knows every plane of the spec');
  for (const ticket of ['standard', 'business', 'airstrip', 'private'] as const) {
    await h.control('POST', '/__sim/players/3002/status', { state: 'Traveling', destination: 'Japan', ticket });
    const plane = (await statusOf(3002)).plane_image_type;
    const entry = PLANES.find((p) => p.value === plane);
    assert.ok(entry, `${ticket}: ${plane} is a plane of the spec`);
    assert.ok(entry.tickets.includes(ticket), `${ticket} flies a ${plane}, which stands for ${entry.tickets.join(' or ')}`);
  }
  await h.control('POST', '/__sim/players/3002/status', { state: 'Abroad', destination: 'Japan' });
  assert.equal((await statusOf(3002)).plane_image_type, undefined);
});

test('left to itself, the simulator flies its players on every plane, each flight as long as its ticket’s', async () => {
  const live = await openSimulator({ seed: 7 });
  try {
    const seen = new Set<string>();
    for (let step = 0; step < 40 && seen.size < 3; step++) {
      const members = (await live.torn(`/v2/faction/1002/members?key=${keyOf(2001)}&timestamp=${step}`)).members as Array<{ status: any }>;
      for (const m of members) if (m.status.state === 'Traveling') seen.add(m.status.plane_image_type);
      await live.control('POST', '/__sim/clock', { advance: 600 });
    }
    assert.deepEqual([...seen].sort(), ['airliner', 'light_aircraft', 'private_jet']);
  } finally {
    await live.sim.close();
  }
});
