import type { Call } from './call.js';
import type { WarSummary } from './summary.js';
import type { LastAction } from './target.js';
import type { War } from './war.js';
import type { SyncStatus } from './sync-status.js';
import type { Assist, Chain, EnemyChain, TargetMark, Travel } from './intel.js';
import type { WarScoreData } from './score.js';

/** The named events of every realtime transport (SSE `event:`, WebSocket `type`, long-poll `event`). */
export const EVENT_NAMES = [
  'target_call',
  'target_status',
  'war_summary',
  'war',
  'war_score',
  'chain',
  'target_mark',
  'assist',
  'watch',
  'enemy_chain',
  'sync_status',
  'reset',
] as const;
export type EventName = (typeof EVENT_NAMES)[number];

export function isEventName(name: string): name is EventName {
  return (EVENT_NAMES as readonly string[]).includes(name);
}

export interface TargetCallData extends Call {
  warId: number;
}

export interface TargetStatusData {
  warId: number;
  targetId: number;
  state: string;
  until: number | null;
  description: string;
  details: string;
  lastAction: LastAction;
  /** Torn's `is_revivable` and `has_early_discharge`; null when Torn did not say. */
  isRevivable: boolean | null;
  hasEarlyDischarge: boolean | null;
  travel: Travel | null;
  /** The country of a hospital abroad ("In a Swiss hospital …" → "Switzerland"); null in Torn City. */
  hospitalCountry: string | null;
  /** The state the target left, with its `until`: present when the state changed. */
  previous?: { state: string; until: number | null };
  /** True when the target left hospital before its `until` (medded out, revived, early discharge). */
  early?: boolean;
}

/** A leader set (`mark`) or cleared (`mark: null`) a target's mark. */
export interface TargetMarkData {
  warId: number;
  targetId: number;
  mark: TargetMark | null;
  /** Who set or cleared it. */
  by: { id: number; name: string };
}

/** A member asked for help on a target; it ends on its own at `expiresAt`. */
export interface AssistData extends Assist {
  warId: number;
}

/** A member started or stopped watching a target (their own devices follow; others may ignore it). */
export interface WatchData {
  warId: number;
  memberId: number;
  targetId: number;
  watching: boolean;
}

export interface WarData {
  warId: number;
  /** `upcoming`: first seen before its start; `started`: first seen running, or reached its start; `ended`. */
  state: 'upcoming' | 'started' | 'ended';
  enemy: War['enemy'];
  start: number;
  end: number | null;
  target: number | null;
  winner: number | null;
  scores: Record<string, number>;
}

/** Not a change: the resume point is gone, re-read the snapshot. */
export interface ResetData {
  seq: number;
  reason: string;
}

export interface EventData {
  target_call: TargetCallData;
  target_status: TargetStatusData;
  war_summary: WarSummary;
  war: WarData;
  war_score: WarScoreData;
  chain: Chain;
  target_mark: TargetMarkData;
  assist: AssistData;
  watch: WatchData;
  /** The enemy's chain count changed (see EnemyChain): not every read, only a new count. */
  enemy_chain: EnemyChain;
  sync_status: SyncStatus;
  reset: ResetData;
}

/** One event, whatever transport carried it; `id` is its seq in the faction's log. */
export type WarEvent<N extends EventName = EventName> = { [K in N]: { id: number; event: K; data: EventData[K] } }[N];

/** `GET /api/events?since=&wait=`. */
export interface LongPollResponse {
  events: WarEvent[];
  /** The last event's id, or `since` when there is none: ask again from it. */
  seq: number;
}
