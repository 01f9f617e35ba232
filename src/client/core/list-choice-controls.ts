/**
 * The sort select and the filter toggles, as every surface shows them (the board, the panel, the
 * strip above Torn's war list); each surface styles them. One ListChoiceSetting per page holds the
 * member's choice: controls on the same page follow each other, and it is stored at once.
 */
import { el } from './dom.js';
import { DEFAULT_LIST_CHOICE, readListChoice, writeListChoice, type ListChoice } from './list-choice.js';
import { FILTER_KEYS, SORT_KEYS, type FilterKey, type SortKey } from './row-order.js';
import type { Store } from './storage.js';

const SORT_LABELS: Record<SortKey, string> = {
  default: 'TornCat order',
  nextOut: 'Next out of hospital',
  ready: 'Ready to hit',
  activity: 'Activity',
  levelDesc: 'Level, high first',
  levelAsc: 'Level, low first',
};

const FILTER_LABELS: Record<FilterKey, { short: string; long: string }> = {
  hospital: { short: 'Hosp', long: 'Hide targets in hospital' },
  travel: { short: 'Travel', long: 'Hide targets traveling or abroad' },
  offline: { short: 'Offline', long: 'Hide offline targets' },
  calledByOthers: { short: 'Called', long: 'Hide targets called by someone else' },
};

/** The member's choice on this page: read once, stored on each change, heard by every control and view. */
export class ListChoiceSetting {
  #choice: ListChoice;
  readonly #store: Store | undefined;
  readonly #listeners = new Set<(c: ListChoice) => void>();

  /** Without a store the choice lasts as long as the page. */
  constructor(store?: Store) {
    this.#store = store;
    this.#choice = store ? readListChoice(store) : DEFAULT_LIST_CHOICE;
  }

  get value(): ListChoice {
    return this.#choice;
  }

  set(choice: ListChoice): void {
    this.#choice = { sort: choice.sort, hide: { ...choice.hide } };
    if (this.#store) writeListChoice(this.#store, this.#choice);
    for (const l of this.#listeners) l(this.#choice);
  }

  listen(l: (c: ListChoice) => void): void {
    this.#listeners.add(l);
  }
}

export class ListChoiceControls {
  readonly element: HTMLElement;
  readonly #select: HTMLSelectElement;
  readonly #toggles = new Map<FilterKey, HTMLButtonElement>();
  readonly #count: HTMLElement;

  /** `defaultLabel` names the surface's own order ("Torn's order" on Torn's list). */
  constructor(setting: ListChoiceSetting, options: { defaultLabel?: string } = {}) {
    this.element = el('div', { class: 'list-choice', role: 'group', 'aria-label': 'Sort and filter targets' });
    this.#select = el('select', { class: 'sort', 'aria-label': 'Sort targets' });
    for (const k of SORT_KEYS)
      this.#select.append(el('option', { value: k }, k === 'default' ? (options.defaultLabel ?? SORT_LABELS[k]) : SORT_LABELS[k]));
    const hide = el('span', { class: 'hide-label' }, 'Hide');
    this.element.append(this.#select, hide);
    for (const k of FILTER_KEYS) {
      const b = el(
        'button',
        {
          type: 'button',
          class: 'filter',
          'data-filter': k,
          'aria-pressed': 'false',
          title: FILTER_LABELS[k].long,
          'aria-label': FILTER_LABELS[k].long,
        },
        FILTER_LABELS[k].short,
      );
      this.#toggles.set(k, b);
      this.element.append(b);
    }
    this.#count = el('span', { class: 'hidden-count', role: 'status' });
    this.element.append(this.#count);
    this.#select.addEventListener('change', () => setting.set({ ...setting.value, sort: this.#select.value as SortKey }));
    this.element.addEventListener('click', (e) => {
      const b = (e.target as HTMLElement).closest('button.filter');
      if (!b) return;
      e.preventDefault();
      e.stopPropagation(); // inside Torn's page, a click must not reach its handlers
      const k = b.getAttribute('data-filter') as FilterKey;
      const c = setting.value;
      setting.set({ ...c, hide: { ...c.hide, [k]: !c.hide[k] } });
    });
    setting.listen((c) => this.show(c));
    this.show(setting.value);
  }

  show(c: ListChoice): void {
    if (this.#select.value !== c.sort) this.#select.value = c.sort;
    for (const [k, b] of this.#toggles) b.setAttribute('aria-pressed', String(c.hide[k]));
  }

  /** How many targets the filters hide now. */
  set hiddenCount(n: number) {
    const text = n > 0 ? `${n} hidden` : '';
    if (this.#count.textContent !== text) this.#count.textContent = text;
  }
}
