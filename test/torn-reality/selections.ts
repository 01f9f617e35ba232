// An answer for every selection TornCat reads (src/torn/torn-client.ts), in Torn's shapes: v2 as Torn's
// OpenAPI document defines them (the test validates each against it), v1 as recorded v1 answers show
// them (members keyed by id, `until: 0` and `details: ""` for none). The statuses in them are the
// corpus's own, so the current travel wording and the plane types travel the whole way through.
import type { SourceId } from './sources.js';

export interface SelectionAnswer {
  /** The TornClient method that reads it. */
  reader: string;
  /** The request path (query included) the client sends, without key and comment. */
  path: string;
  /** The spec path that documents it (v2), or null for v1. */
  spec: string | null;
  answer: Record<string, unknown>;
  source: SourceId;
}

const lastAction = (status: 'Online' | 'Idle' | 'Offline', timestamp: number, relative: string) => ({ status, timestamp, relative });

const V2_MEMBERS = [
  {
    id: 3101,
    name: 'Nocturnas',
    position: 'Member',
    level: 100,
    days_in_faction: 412,
    is_revivable: false,
    is_on_wall: false,
    is_in_oc: false,
    has_early_discharge: false,
    last_action: lastAction('Idle', 1796600000, '9 minutes ago'),
    status: {
      description: 'Traveling from Torn to South Africa',
      details: null,
      state: 'Traveling',
      color: 'blue',
      until: null,
      plane_image_type: 'airliner',
    },
    revive_setting: 'Unknown',
  },
  {
    id: 3102,
    name: 'Bearstalker',
    position: 'Member',
    level: 70,
    days_in_faction: 98,
    is_revivable: false,
    is_on_wall: false,
    is_in_oc: false,
    has_early_discharge: false,
    last_action: lastAction('Offline', 1796500000, '1 day ago'),
    status: {
      description: 'Traveling from United Arab Emirates to Torn',
      details: null,
      state: 'Traveling',
      color: 'blue',
      until: null,
      plane_image_type: 'light_aircraft',
    },
    revive_setting: 'Unknown',
  },
  {
    id: 3103,
    name: 'SkjeggeLadd',
    position: 'Adventurer',
    level: 26,
    days_in_faction: 65,
    is_revivable: true,
    is_on_wall: false,
    is_in_oc: false,
    has_early_discharge: false,
    last_action: lastAction('Idle', 1796600676, '2 minutes ago'),
    status: {
      description: 'In hospital for 1 hrs 3 mins ',
      details: 'Severe emesis following Ipecac Syrup ingestion',
      state: 'Hospital',
      color: 'red',
      until: 1796604620,
    },
    revive_setting: 'Unknown',
  },
  {
    id: 3104,
    name: 'Kindling',
    position: 'Member',
    level: 55,
    days_in_faction: 300,
    is_revivable: true,
    is_on_wall: false,
    is_in_oc: false,
    has_early_discharge: true,
    last_action: lastAction('Online', 1796600900, '1 minute ago'),
    status: {
      description: 'In a Swiss hospital for 1 hrs 55 mins ',
      details: 'Mugged by Someone',
      state: 'Hospital',
      color: 'red',
      until: 1796607800,
    },
    revive_setting: 'Unknown',
  },
  {
    id: 3105,
    name: 'Waterfall',
    position: 'Member',
    level: 40,
    days_in_faction: 20,
    is_revivable: false,
    is_on_wall: false,
    is_in_oc: false,
    has_early_discharge: false,
    last_action: lastAction('Online', 1796600950, '0 minutes ago'),
    status: { description: 'In Canada', details: null, state: 'Abroad', color: 'blue', until: null },
    revive_setting: 'Unknown',
  },
  {
    id: 3106,
    name: 'Pilot',
    position: 'Member',
    level: 81,
    days_in_faction: 700,
    is_revivable: false,
    is_on_wall: false,
    is_in_oc: false,
    has_early_discharge: false,
    last_action: lastAction('Online', 1796600950, '0 minutes ago'),
    status: {
      description: 'Traveling from Canada to Torn',
      details: null,
      state: 'Traveling',
      color: 'blue',
      until: null,
      plane_image_type: 'private_jet',
    },
    revive_setting: 'Unknown',
  },
];

const RANKED_WAR = {
  war_id: 5001,
  start: 1796591192,
  end: 0,
  target: 4000,
  winner: null,
  factions: [
    { id: 1001, name: 'Our Faction', score: 551, chain: 12 },
    { id: 1002, name: 'Their Faction', score: 629, chain: 30 },
  ],
};

const CHAIN = { id: 7, current: 12, max: 25, timeout: 240, modifier: 1.0, cooldown: 0, start: 1796599000, end: 0 };

export const SELECTIONS: readonly SelectionAnswer[] = [
  {
    reader: 'keyInfo',
    path: '/v2/key/info',
    spec: '/key/info',
    answer: {
      info: {
        selections: {
          company: [],
          faction: ['chain', 'members', 'rankedwars', 'wars'],
          market: [],
          property: [],
          torn: ['timestamp'],
          user: ['basic', 'profile'],
          racing: [],
          forum: [],
          key: ['info'],
        },
        access: { level: 1, type: 'Public Only', faction: false, company: false, log: { custom_permissions: false, available: [] } },
        user: { id: 2001, faction_id: 1001, company_id: null },
      },
    },
    source: 'tornSpec',
  },
  {
    reader: 'userBasic',
    path: '/v2/user/basic',
    spec: '/user/basic',
    answer: {
      profile: {
        id: 2001,
        name: 'MadRook',
        level: 64,
        gender: 'Female',
        status: {
          description: 'Traveling from Torn to Canada',
          details: null,
          state: 'Traveling',
          color: 'blue',
          until: null,
          plane_image_type: 'airliner',
        },
      },
    },
    source: 'tornSpec',
  },
  {
    reader: 'factionMembers',
    path: '/v2/faction/1002/members',
    spec: '/faction/{id}/members',
    answer: { members: V2_MEMBERS },
    source: 'tornSpec',
  },
  {
    reader: 'factionWars',
    path: '/v2/faction/1002/wars',
    spec: '/faction/{id}/wars',
    answer: { pacts: [], wars: { ranked: RANKED_WAR, raids: [], territory: [] } },
    source: 'tornSpec',
  },
  {
    reader: 'factionRankedWars',
    path: '/v2/faction/rankedwars',
    spec: '/faction/rankedwars',
    answer: {
      rankedwars: [{ id: 5001, start: 1796591192, end: 0, target: 4000, winner: null, factions: RANKED_WAR.factions }],
      _metadata: { links: { next: null, prev: null } },
    },
    source: 'tornSpec',
  },
  {
    reader: 'factionMembersAndWars',
    path: '/v2/faction?id=1002&selections=members,wars',
    spec: null,
    answer: { members: V2_MEMBERS, pacts: [], wars: { ranked: RANKED_WAR, raids: [], territory: [] } },
    source: 'tornSpec',
  },
  { reader: 'factionChain', path: '/v2/faction/1001/chain', spec: '/faction/{id}/chain', answer: { chain: CHAIN }, source: 'tornSpec' },
  {
    reader: 'factionMembersAndChain',
    path: '/v2/faction?id=1001&selections=members,chain',
    spec: null,
    answer: { members: V2_MEMBERS, chain: CHAIN },
    source: 'tornSpec',
  },
  { reader: 'tornTimestamp', path: '/v2/torn/timestamp', spec: '/torn/timestamp', answer: { timestamp: 1796604100 }, source: 'tornSpec' },
  {
    reader: 'userProfileV1',
    path: '/user/?selections=profile',
    spec: null,
    answer: {
      player_id: 2001,
      name: 'MadRook',
      level: 64,
      status: { description: 'Returning to Torn from United Kingdom', details: '', state: 'Traveling', color: 'blue', until: 0 },
      last_action: lastAction('Online', 1796600950, '0 minutes ago'),
      faction: { position: 'Leader', faction_id: 1001, days_in_faction: 64, faction_name: 'Our Faction', faction_tag: 'OUR' },
    },
    source: 'indexV1Roster',
  },
  {
    reader: 'factionBasicV1',
    path: '/faction/1002?selections=basic',
    spec: null,
    answer: {
      ID: 1002,
      name: 'Their Faction',
      tag: 'THR',
      members: {
        '3103': {
          name: 'SkjeggeLadd',
          level: 26,
          days_in_faction: 65,
          last_action: lastAction('Idle', 1796600676, '2 minutes ago'),
          status: {
            description: 'In hospital for 1 hrs 3 mins ',
            details: 'Severe emesis following Ipecac Syrup ingestion',
            state: 'Hospital',
            color: 'red',
            until: 1796604620,
          },
          position: 'Adventurer',
        },
        '3107': {
          name: 'Warrior',
          level: 60,
          days_in_faction: 12,
          last_action: lastAction('Offline', 1796590000, '3 hours ago'),
          status: {
            description: 'In jail for 2 hrs 5 mins ',
            details: 'Was caught trying to break out Someone.',
            state: 'Jail',
            color: 'red',
            until: 1796608000,
          },
          position: 'Member',
        },
        '3108': {
          name: 'Homeward',
          level: 33,
          days_in_faction: 4,
          last_action: lastAction('Online', 1796600950, '0 minutes ago'),
          status: { description: 'Returning to Torn from United Kingdom', details: '', state: 'Traveling', color: 'blue', until: 0 },
          position: 'Member',
        },
      },
    },
    source: 'indexV1Roster',
  },
  {
    reader: 'factionRankedWarsV1',
    path: '/faction/?selections=rankedwars',
    spec: null,
    answer: {
      rankedwars: {
        '5001': {
          factions: { '1001': { name: 'Our Faction', score: 551, chain: 12 }, '1002': { name: 'Their Faction', score: 629, chain: 30 } },
          war: { start: 1796591192, end: 0, target: 4000, winner: 0 },
        },
      },
    },
    source: 'indexV1Roster',
  },
];
