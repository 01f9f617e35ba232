import type { Call } from './call.js';
import type { WarSummary } from './summary.js';
import type { LastAction } from './target.js';
import type { War } from './war.js';

/** The named events of every realtime transport (SSE `event:`, WebSocket `type`, long-poll `event`). */
export const EVENT_NAMES = ['target_call', 'target_status', 'war_summary', 'war', 'reset'] as const;
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
