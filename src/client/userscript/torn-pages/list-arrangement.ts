/**
 * The member's sort and filters on Torn's own war list, by CSS alone: Torn's row nodes stay where
 * React put them (moving them would fight its re-renders). The list becomes a column flexbox and
 * each row gets a CSS `order`, as Torn War Stuff Enhanced sorts that list (`.members-list` as a
 * column flexbox, `li.style.order`; MWTBDLTR/torn-scripts, torn_war_stuff_enhanced_optimized.js,
 * 2025-11-27); a filtered row is hidden by an attribute our stylesheet sets `display: none` on, as
 * TornTools' ranked-war filter hides rows with a class (`tt-hidden`; Mephiles/torntools_extension,
 * src/common/utils/functions/filters.ts, 2026-08-22).
 */
import type { ListChoice } from '../../core/list-choice.js';
import { arrangeRows } from '../../core/row-order.js';
import type { Row } from '../../core/target-row.js';

const MARK_ATTR = 'data-torncat-mark';
const SORTED_ATTR = 'data-torncat-sorted';
const HIDDEN_ATTR = 'data-torncat-hidden';
const ORDER_ATTR = 'data-torncat-order';

/** The rules for the attributes above (adopted once by the document with the rest of the row CSS). */
export const ARRANGEMENT_CSS = `
ul[${SORTED_ATTR}] { display: flex !important; flex-direction: column; }
li[${MARK_ATTR}="priority"] { order: -1; box-shadow: inset 4px 0 0 #f0c674; }
li[${MARK_ATTR}="avoid"] { order: 1; opacity: .45; }
li[${HIDDEN_ATTR}] { display: none !important; }
`;

export function setFlag(e: Element, name: string, value: string | null): void {
  if (value === null) {
    if (e.hasAttribute(name)) e.removeAttribute(name);
  } else if (e.getAttribute(name) !== value) e.setAttribute(name, value);
}

function setOrder(li: HTMLElement, order: number | null): void {
  setFlag(li, ORDER_ATTR, order === null ? null : String(order));
  const want = order === null ? '' : String(order);
  if (li.style.order !== want) {
    if (order === null) li.style.removeProperty('order');
    else li.style.order = want;
  }
}

/**
 * Applies the choice to one of Torn's lists, given its rows in DOM order with the target each is
 * about (undefined: not a target of this war, such as a member who joined since). "TornCat order"
 * there means Torn's own order: only a leader's marks move rows (priority first, avoid last). Any
 * other sort orders every target (priority still first), the rest after them in Torn's order.
 */
export function arrangeTornList(
  ul: Element,
  rows: readonly { li: HTMLElement; row: Row | undefined }[],
  choice: ListChoice,
  meId: number | undefined,
): number {
  const targets = rows.filter((x): x is { li: HTMLElement; row: Row } => x.row !== undefined);
  const { shown, hidden } = arrangeRows(
    targets.map((x) => x.row),
    choice,
    meId,
  );
  const hiddenIds = new Set(hidden.map((r) => r.target.id));
  // A list without targets of ours (our own faction's, or signed out) is left exactly as Torn drew it.
  const sorted = choice.sort !== 'default' && targets.length > 0;
  const rank = new Map(sorted ? shown.map((r, i) => [r.target.id, i + 1]) : []);
  let marked = false;
  for (const { li, row } of rows) {
    const mark = row?.mark?.mark === 'priority' || row?.mark?.mark === 'avoid' ? row.mark.mark : null;
    if (mark) marked = true;
    setFlag(li, MARK_ATTR, mark);
    setFlag(li, HIDDEN_ATTR, row && hiddenIds.has(row.target.id) ? '' : null);
    setOrder(li, !sorted ? null : row ? (rank.get(row.target.id) ?? null) : shown.length + 1);
  }
  // Only a list that has a marked row or a sort becomes a column flexbox; the others stay as Torn drew them.
  setFlag(ul, SORTED_ATTR, marked || sorted ? '' : null);
  return hidden.length;
}
