/**
 * How the board, the panel and Torn's own war list order and thin out the targets: one sort and a
 * set of filters the member chose (see list-choice.ts). Whatever the sort, a leader's priority mark
 * comes first and an avoid mark last; ties fall back to TornCat's own order, then the target's id,
 * so the order never depends on the order the rows came in.
 *
 * The sorts follow what public war tools offer: Torn War Stuff Enhanced sorts Torn's war list by
 * status (Okay first, then hospital and jail by time left, then travel; MWTBDLTR/torn-scripts,
 * torn_war_stuff_enhanced_optimized.js, 2025-11-27), TornTools' ranked-war filter filters by
 * activity, status and level (Mephiles/torntools_extension,
 * src/common/features/ranked-war-filter/ranked-war-filter.ts, 2026-08-22), FF Scouter V2 by activity
 * and status (xentac/FFScouter, src/features/faction/filter-sort-engine.ts, 2026-07-23).
 */
import { ACTIVITY_RANK, activityOf } from './activity.js';
import type { Row } from './target-row.js';

export const SORT_KEYS = ['default', 'nextOut', 'ready', 'activity', 'levelDesc', 'levelAsc'] as const;
export type SortKey = (typeof SORT_KEYS)[number];

export const FILTER_KEYS = ['hospital', 'travel', 'offline', 'calledByOthers'] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];

export type Hidden = Readonly<Record<FilterKey, boolean>>;

const JAIL = new Set(['Jail', 'Federal']);
const TRAVEL = new Set(['Traveling', 'Abroad']);

/** Okay, or a hospital/jail stay whose time is up on the server's clock (the next sync will say so). */
export function isOkay(r: Row): boolean {
  const s = r.target.status.state;
  return s === 'Okay' || (r.remaining === 0 && (s === 'Hospital' || JAIL.has(s)));
}

/** Okay and not called by someone else: a member may hit it now. */
export function isReady(r: Row, meId: number | undefined): boolean {
  return isOkay(r) && (!r.call || r.call.callerId === meId);
}

/** Whether the member's filters hide the row. */
export function isHidden(r: Row, hide: Hidden, meId: number | undefined): boolean {
  const s = r.target.status.state;
  if (hide.hospital && s === 'Hospital' && r.remaining !== 0) return true;
  if (hide.travel && TRAVEL.has(s)) return true;
  if (hide.offline && activityOf(r.target) === 'offline') return true;
  return hide.calledByOthers && !!r.call && r.call.callerId !== meId;
}

function markRank(r: Row): number {
  return r.mark?.mark === 'priority' ? 0 : r.mark?.mark === 'avoid' ? 2 : 1;
}

/** TornCat's order: callable (uncalled before called), then soonest out of hospital/jail, then the rest. */
function defaultRank(r: Row): number {
  return isOkay(r) ? (r.call ? 1 : 0) : r.remaining !== null ? 2 : 3;
}

/**
 * Who is out next: Okay first (out already), then hospital and jail in Torn City by time left, a
 * hospital abroad, then travel: flying home, abroad, flying out (as Torn War Stuff Enhanced weighs
 * them), then the rest.
 */
function nextOutRank(r: Row): number {
  const t = r.target;
  if (isOkay(r)) return 0;
  if (r.remaining !== null) return t.hospitalCountry ? 2 : 1;
  const d = t.travel?.direction;
  if (d === 'returning') return 3;
  if (d === 'abroad' || t.status.state === 'Abroad') return 4;
  if (d === 'outbound' || t.status.state === 'Traveling') return 5;
  return 6;
}

/** When a journey lands, for travel in the next-out order (unknown last). */
function landing(r: Row): number {
  const tr = r.target.travel;
  return tr?.eta ?? tr?.earliestEta ?? Number.MAX_SAFE_INTEGER;
}

type Compare = (a: Row, b: Row) => number;

function byDefault(a: Row, b: Row): number {
  return defaultRank(a) - defaultRank(b) || (a.remaining ?? 0) - (b.remaining ?? 0);
}

function byNextOut(a: Row, b: Row): number {
  return nextOutRank(a) - nextOutRank(b) || (a.remaining ?? 0) - (b.remaining ?? 0) || landing(a) - landing(b);
}

function comparator(sort: SortKey, meId: number | undefined): Compare {
  switch (sort) {
    case 'nextOut':
      return byNextOut;
    case 'ready': {
      // Ready first (our own calls before free targets: we said we would hit them), then who is out next.
      const rank = (r: Row) => (isReady(r, meId) ? (r.call ? 0 : 1) : 2);
      return (a, b) => rank(a) - rank(b) || byNextOut(a, b);
    }
    case 'activity':
      return (a, b) =>
        ACTIVITY_RANK[activityOf(a.target)] - ACTIVITY_RANK[activityOf(b.target)] ||
        (b.target.lastAction.timestamp ?? 0) - (a.target.lastAction.timestamp ?? 0);
    case 'levelDesc':
      return (a, b) => b.target.level - a.target.level;
    case 'levelAsc':
      return (a, b) => a.target.level - b.target.level;
    default:
      return () => 0;
  }
}

/** The rows in the order of `sort` (a new array): priority marks first, avoid marks last. */
export function sortRows(rows: readonly Row[], sort: SortKey, meId: number | undefined): Row[] {
  const cmp = comparator(sort, meId);
  return [...rows].sort((a, b) => markRank(a) - markRank(b) || cmp(a, b) || byDefault(a, b) || a.target.id - b.target.id);
}

/** The rows as the member chose to see them: sorted, and split into shown and hidden by the filters. */
export function arrangeRows(
  rows: readonly Row[],
  choice: { sort: SortKey; hide: Hidden },
  meId: number | undefined,
): { shown: Row[]; hidden: Row[] } {
  const shown: Row[] = [];
  const hidden: Row[] = [];
  for (const r of sortRows(rows, choice.sort, meId)) (isHidden(r, choice.hide, meId) ? hidden : shown).push(r);
  return { shown, hidden };
}
