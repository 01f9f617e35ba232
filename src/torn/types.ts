// Response types for what we read from Torn. v2 types come from tornapi-typescript (generated from
// Torn's own OpenAPI document) so they cannot drift from Torn; v1 has no published schema, so its
// few shapes are written here from what Torn returns.
import type {
  FactionChainReport,
  FactionChainReportResponse,
  FactionMember,
  FactionMembersResponse,
  FactionOngoingChain,
  FactionOngoingChainResponse,
  FactionRankedWarReportResponse,
  FactionRankedWarResponse,
  FactionWarsResponse,
  KeyInfoResponse,
  TimestampResponse,
  UserBasicResponse,
  UserLastActionStatusEnum,
  UserStatusStateEnum,
} from 'tornapi-typescript';

export type {
  FactionChainReport,
  FactionChainReportResponse,
  FactionMember,
  FactionMembersResponse,
  FactionOngoingChain,
  FactionOngoingChainResponse,
  FactionRankedWarReportResponse,
  FactionRankedWarResponse,
  FactionWarsResponse,
  KeyInfoResponse,
  TimestampResponse,
  UserBasicResponse,
};

/** v2 `faction?selections=members,wars`: Torn merges the two answers into one object. */
export type FactionMembersAndWarsResponse = FactionMembersResponse & FactionWarsResponse;

/** v2 `faction?selections=members,chain`: our own members and our chain in one answer. */
export type FactionMembersAndChainResponse = FactionMembersResponse & FactionOngoingChainResponse;

/** Torn's status and last-action objects, identical on v1 and v2. */
export interface TornStatus {
  description: string;
  details: string | null;
  /** `UserStatusStateEnum`, kept open because Torn adds states (v2 added Awoken and Dormant). */
  state: UserStatusStateEnum | (string & {});
  color: string;
  /** Unix seconds; v1 sends 0 where v2 sends null. */
  until: number | null;
  /** v2 only, and only while Traveling: the plane Torn draws (`airliner`, `light_aircraft`, `private_jet`). */
  plane_image_type?: string;
}

export interface TornLastAction {
  status: UserLastActionStatusEnum | (string & {});
  timestamp: number;
  relative?: string;
}

/** v1 `user/?selections=profile`, only the fields we read. */
export interface UserProfileV1Response {
  player_id: number;
  name: string;
  level: number;
  status: TornStatus;
  last_action: TornLastAction;
  /** A factionless player has `faction_id: 0` and `faction_name: "None"`. */
  faction: {
    faction_id: number;
    faction_name: string;
    faction_tag?: string;
    position?: string;
    days_in_faction?: number;
  };
}

export interface FactionMemberV1 {
  name: string;
  level: number;
  days_in_faction?: number;
  position?: string;
  status: TornStatus;
  last_action: TornLastAction;
}

/** v1 `faction/?selections=basic`, only the fields we read. Members are keyed by player id. */
export interface FactionBasicV1Response {
  ID: number;
  name: string;
  tag?: string;
  members: Record<string, FactionMemberV1>;
}

export interface RankedWarV1 {
  factions: Record<string, { name: string; score: number; chain: number }>;
  war: { start: number; end: number; target: number; winner: number };
}

/** v1 `faction/?selections=rankedwars`: wars keyed by war id. */
export interface FactionRankedWarsV1Response {
  rankedwars: Record<string, RankedWarV1>;
}

/** A faction member the same way whichever API version it came from. */
export interface Member {
  id: number;
  name: string;
  level: number;
  status: {
    state: string;
    description: string;
    details: string | null;
    /** Unix seconds on Torn's clock, or null when the state has no end. */
    until: number | null;
    color: string;
    /** Torn's `plane_image_type` of a flight (v2, Traveling only); null when Torn did not say. */
    plane: string | null;
  };
  lastAction: { status: string; timestamp: number };
  /** The faction position ("Leader", "Co-leader", "Member", …); null when Torn did not say. */
  position: string | null;
  /** v2's `is_revivable`; null from v1, which does not say. */
  isRevivable: boolean | null;
  /** v2's `has_early_discharge` (may leave hospital early); null from v1. */
  hasEarlyDischarge: boolean | null;
}

/** Who a key belongs to, as sign-in needs it. */
export interface Identity {
  player: { id: number; name: string; level: number };
  /** `position` from v1 profile ("Leader", "Member", …); null when Torn did not say. */
  faction: { id: number; name: string; position: string | null } | null;
  /** From v2 `key/info`: what the key may read (e.g. "Public Only", "Full Access"). */
  access: { level: number; type: string };
}
