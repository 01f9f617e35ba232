import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toMembers, type FactionBasicV1Response, type FactionMembersResponse } from '../../src/torn/index.js';

const v2 = {
  members: [
    {
      id: 3002,
      name: 'Rival2',
      position: 'Member',
      level: 40,
      days_in_faction: 10,
      is_revivable: false,
      is_on_wall: false,
      is_in_oc: false,
      has_early_discharge: false,
      last_action: { status: 'Idle', timestamp: 1700000100, relative: '5 minutes ago' },
      status: { description: 'Okay', details: null, state: 'Okay', color: 'green', until: null },
      revive_setting: 'Unknown',
    },
    {
      id: 3001,
      name: 'Rival1',
      position: 'Leader',
      level: 50,
      days_in_faction: 100,
      is_revivable: true,
      is_on_wall: false,
      is_in_oc: false,
      has_early_discharge: true,
      last_action: { status: 'Online', timestamp: 1700000000, relative: '0 minutes ago' },
      status: {
        description: 'In hospital for 12 mins',
        details: 'Hospitalized by someone',
        state: 'Hospital',
        color: 'red',
        until: 1700000720,
      },
      revive_setting: 'Unknown',
    },
  ],
} as unknown as FactionMembersResponse;

const v1: FactionBasicV1Response = {
  ID: 1002,
  name: 'Demo Rivals',
  members: {
    '3002': {
      name: 'Rival2',
      level: 40,
      position: 'Member',
      last_action: { status: 'Idle', timestamp: 1700000100, relative: '5 minutes ago' },
      status: { description: 'Okay', details: '', state: 'Okay', color: 'green', until: 0 },
    },
    '3001': {
      name: 'Rival1',
      level: 50,
      position: 'Leader',
      last_action: { status: 'Online', timestamp: 1700000000, relative: '0 minutes ago' },
      status: {
        description: 'In hospital for 12 mins',
        details: 'Hospitalized by someone',
        state: 'Hospital',
        color: 'red',
        until: 1700000720,
      },
    },
  },
};

test('v2 members become Member objects ordered by id', () => {
  const members = toMembers(v2);
  assert.deepEqual(
    members.map((m) => m.id),
    [3001, 3002],
  );
  assert.deepEqual(members[0], {
    id: 3001,
    name: 'Rival1',
    level: 50,
    status: {
      state: 'Hospital',
      description: 'In hospital for 12 mins',
      details: 'Hospitalized by someone',
      until: 1700000720,
      color: 'red',
      plane: null,
    },
    lastAction: { status: 'Online', timestamp: 1700000000 },
    position: 'Leader',
    isRevivable: true,
    hasEarlyDischarge: true,
  });
  assert.deepEqual([members[1].isRevivable, members[1].hasEarlyDischarge], [false, false]);
});

test('a v2 flight keeps the plane Torn draws for it; v1 never says one', () => {
  const flying = structuredClone(v2);
  flying.members[0].status = {
    description: 'Traveling from Torn to Japan',
    details: null,
    state: 'Traveling',
    color: 'blue',
    until: null,
    plane_image_type: 'light_aircraft',
  } as (typeof flying.members)[0]['status'];
  assert.equal(toMembers(flying).find((m) => m.id === 3002)?.status.plane, 'light_aircraft');
  assert.ok(toMembers(v1).every((m) => m.status.plane === null));
});

test('v1 members keyed by id give the same Member objects as v2, with null for what only v2 says', () => {
  const fromV2 = toMembers(v2).map((m) => ({ ...m, isRevivable: null, hasEarlyDischarge: null }));
  assert.deepEqual(toMembers(v1), fromV2);
});

test('v1 "no end" written as until 0 and empty details become null', () => {
  const okay = toMembers(v1).find((m) => m.id === 3002);
  assert.equal(okay?.status.until, null);
  assert.equal(okay?.status.details, null);
});
