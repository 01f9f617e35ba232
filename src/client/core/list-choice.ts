/**
 * The member's sort and filters for the target lists, kept on this device (the userscript manager's
 * storage on torn.com, shared by the panel and Torn's war list; localStorage on the board), so that
 * a reload or the next Torn page keeps them.
 */
import { FILTER_KEYS, SORT_KEYS, type FilterKey, type Hidden, type SortKey } from './row-order.js';
import type { Store } from './storage.js';

export interface ListChoice {
  sort: SortKey;
  hide: Hidden;
}

export const DEFAULT_LIST_CHOICE: ListChoice = Object.freeze({
  sort: 'default',
  hide: Object.freeze({ hospital: false, travel: false, offline: false, calledByOthers: false }),
});

const KEY = 'torncat.listChoice';

/** The stored choice; anything missing or damaged reads as the default. */
export function readListChoice(store: Store): ListChoice {
  let saved: unknown;
  try {
    saved = JSON.parse(store.get(KEY) ?? 'null');
  } catch {
    saved = null;
  }
  const o = (saved && typeof saved === 'object' ? saved : {}) as { sort?: unknown; hide?: unknown };
  const hideIn = (o.hide && typeof o.hide === 'object' ? o.hide : {}) as Record<string, unknown>;
  const hide = {} as Record<FilterKey, boolean>;
  for (const k of FILTER_KEYS) hide[k] = hideIn[k] === true;
  const sort = (SORT_KEYS as readonly unknown[]).includes(o.sort) ? (o.sort as SortKey) : DEFAULT_LIST_CHOICE.sort;
  return { sort, hide };
}

export function writeListChoice(store: Store, choice: ListChoice): void {
  store.set(KEY, JSON.stringify({ sort: choice.sort, hide: { ...choice.hide } }));
}
