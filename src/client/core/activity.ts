/**
 * A target's activity as Torn reports it in `last_action` (Torn's v2 faction members answer:
 * `last_action.status` is "Online", "Idle" or "Offline", `last_action.timestamp` the Unix time of
 * the member's last action), read with the enemy's member list TornCat already polls: no request of
 * its own. Torn's own war rows show only the coloured icon; the mark adds how long ago.
 */
import type { Target } from '../../protocol/target.js';

export type Activity = 'online' | 'idle' | 'offline' | 'unknown';

export function activityOf(t: Target): Activity {
  const s = t.lastAction.status?.toLowerCase();
  return s === 'online' || s === 'idle' || s === 'offline' ? s : 'unknown';
}

/** How an activity sorts: the most active first. */
export const ACTIVITY_RANK: Record<Activity, number> = { online: 0, idle: 1, offline: 2, unknown: 3 };

/** `now`, `4m`, `2h`, `3d`: the age of the last action in a few characters. */
function shortAge(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return 'now';
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86_400)}d`;
}

export interface ActivityMark {
  activity: Activity;
  /** A few characters beside the coloured dot: `now`, `12m`, `3h`; '' without a time. */
  short: string;
  /** In words, for a tooltip and screen readers: `Idle, last action 12 min ago`. */
  title: string;
}

/** The mark for a target at `serverNow` (Unix seconds, Torn's clock). */
export function activityMark(t: Target, serverNow: number): ActivityMark {
  const activity = activityOf(t);
  const ts = t.lastAction.timestamp;
  const age = ts ? serverNow - ts : null;
  const word = activity === 'unknown' ? 'Activity unknown' : activity.charAt(0).toUpperCase() + activity.slice(1);
  // Online is now, whatever the time of its last click.
  const short = activity === 'online' ? 'on' : age === null ? '' : shortAge(age);
  const when =
    age === null ? '' : age < 60 ? ', last action just now' : `, last action ${shortAge(age).replace(/\D$/, (u) => ` ${UNIT[u]}`)} ago`;
  return { activity, short, title: word + when };
}

const UNIT: Record<string, string> = { m: 'min', h: 'h', d: 'd' };
