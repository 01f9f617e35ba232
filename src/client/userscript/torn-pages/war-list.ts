/**
 * The call state and a Call/Release button in each enemy row of Torn's own ranked-war member list
 * (factions.php, the war tab). Torn draws that list with React and replaces row nodes whenever it
 * re-renders, so a MutationObserver puts the widget back: exactly one per row, drawn from the client
 * core's WarState, never from what the DOM held before.
 *
 * How the rows are found follows public Torn war scripts (TornTools' ranked-war estimates, FF
 * Scouter's war timers): rows are `li` children of `.members-list` inside `.faction-war` (the enemy's
 * half is `.enemy-faction`), and a row's member is the `profiles.php?XID=<id>` link in it. Only rows
 * whose id is a target of the current war get a widget; the own faction's rows never are.
 *
 * A leader's mark reaches Torn's row itself: priority rows go first and avoid rows last and dimmed,
 * and the member's sort and filters (the strip above the list, shared with the panel) order and hide
 * rows, all by CSS (list-arrangement.ts: Torn's nodes stay where React put them, so its re-renders
 * are not disturbed); a target just out of hospital early is outlined for a while.
 */
import type { ListChoiceSetting } from '../../core/list-choice-controls.js';
import type { Row } from '../../core/target-row.js';
import type { WarState } from '../../core/war-state.js';
import { CallWidget, rowOf, type WidgetActions } from './call-widget.js';
import { ARRANGEMENT_CSS, arrangeTornList, setFlag } from './list-arrangement.js';
import { ListStrip } from './list-strip.js';
import { syncNote } from '../../../protocol/sync-status.js';

/** Enemy rows first; any war member-list row as a fallback (only war targets get a widget either way). */
const WAR_ROW_SELECTOR = '.enemy-faction .members-list > li, .faction-war .members-list > li';
const PROFILE_LINK = 'a[href*="profiles.php?XID="]';
const TAG = 'torncat-call';
const EARLY_ATTR = 'data-torncat-early';
/** The widget's one line under Torn's row: its buttons' height (24px) and a pixel each side. */
const WIDGET_LINE_PX = 26;
const ROW_ATTR = 'data-torncat-row';
/** Torn's block holding both member lists: the strip goes just before it. */
const WAR_BLOCK = '.faction-war';

/**
 * The page-level rules for Torn's rows (attributes only TornCat sets), adopted once by the document.
 *
 * Torn gives each war row a fixed height in its own CSS, so a widget laid into the row's flow would be
 * clipped or spill over the next row. A row with a widget grows by one line the way public war scripts
 * grow theirs (FF Scouter under TornTools' estimate line: room made with `padding-bottom` on the row,
 * the added line placed absolutely at its bottom): Torn's own cells keep their height and place, the
 * widget is one line under them, never wrapping (its texts shorten instead; room stays for a small mark).
 * Sorting and hiding are list-arrangement.ts's rules.
 */
const ROW_CSS = `${ARRANGEMENT_CSS}
li[${ROW_ATTR}] { position: relative !important; padding-bottom: ${WIDGET_LINE_PX + 2}px !important; }
li[${ROW_ATTR}] > ${TAG} { position: absolute !important; left: 4px !important; right: 4px !important; bottom: 1px !important;
  height: ${WIDGET_LINE_PX}px !important; margin: 0 !important; float: none !important; display: flex !important; }
li[${EARLY_ATTR}] { outline: 2px solid #58a6ff; outline-offset: -2px; }
`;

function adoptRowSheet(): void {
  try {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(ROW_CSS);
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  } catch {
    // No constructed stylesheets: an inline one (torn.com allows inline styles).
    const style = document.createElement('style');
    style.textContent = ROW_CSS;
    document.head.append(style);
  }
}

/** The Torn id of the member a row is about, from its profile link; null for a row without one (headers, join slots). */
function rowMemberId(row: Element): number | null {
  const a = row.querySelector<HTMLAnchorElement>(PROFILE_LINK);
  const m = a ? /[?&]XID=(\d+)/.exec(a.getAttribute('href') ?? '') : null;
  return m ? Number(m[1]) : null;
}

export class WarListDecorator {
  readonly #actions: WidgetActions;
  readonly #widgets = new WeakMap<Element, CallWidget>();
  readonly #choice: ListChoiceSetting;
  readonly #strip: ListStrip;
  #state: WarState | null = null;
  #observer: MutationObserver | null = null;
  #queued = false;
  #decorated = false;
  #decoratedChanged: () => void = () => {};

  constructor(actions: WidgetActions, choice: ListChoiceSetting) {
    this.#actions = actions;
    this.#choice = choice;
    this.#strip = new ListStrip(choice);
    choice.listen(() => this.#decorate());
  }

  /** Watches the page for Torn's (re-)rendered rows. */
  start(root: Node = document.body): void {
    if (this.#observer) return;
    adoptRowSheet();
    this.#observer = new MutationObserver(() => this.#schedule());
    // Rows come and go as child nodes; attributes and text do not matter to which rows there are.
    this.#observer.observe(root, { childList: true, subtree: true });
    this.#schedule();
  }

  stop(): void {
    this.#observer?.disconnect();
    this.#observer = null;
  }

  /** The model changed: redraw every row's widget (signed out: null, and the widgets go). */
  render(state: WarState | null): void {
    this.#state = state;
    this.#decorate();
  }

  /**
   * Called when the list starts or stops carrying widgets, whichever way that came about: Torn's rows
   * often arrive after the war's state, and the panel must step aside at once, not at the next tick.
   */
  onDecoratedChange(listener: () => void): void {
    this.#decoratedChanged = listener;
  }

  /** How many rows of Torn's list carry a widget now. */
  get decorated(): number {
    return document.querySelectorAll(`li > ${TAG}.${TAG}`).length;
  }

  #schedule(): void {
    if (this.#queued) return;
    this.#queued = true;
    queueMicrotask(() => {
      this.#queued = false;
      this.#decorate();
    });
  }

  #decorate(): void {
    const state = this.#state;
    const nowMs = Date.now();
    const lists = new Map<Element, { li: HTMLElement; row: Row | undefined }[]>();
    for (const li of new Set(document.querySelectorAll<HTMLElement>(WAR_ROW_SELECTOR))) {
      const id = rowMemberId(li);
      const r = state && id !== null ? rowOf(state, id, nowMs) : undefined;
      const present = li.querySelectorAll(`:scope > ${TAG}`);
      const ul = li.parentElement;
      if (ul) {
        let rows = lists.get(ul);
        if (!rows) lists.set(ul, (rows = []));
        rows.push({ li, row: r });
      }
      setFlag(li, EARLY_ATTR, r?.earlyExit ? '' : null);
      setFlag(li, ROW_ATTR, r && state ? '' : null);
      if (!r || !state) {
        for (const p of present) p.remove();
        continue;
      }
      let w = this.#widgets.get(li);
      if (!w || w.host.parentNode !== li) {
        // One line under Torn's cells, its buttons at the right end: clear of the collapsed panel's tab at the left edge.
        w = new CallWidget(TAG, this.#actions, { oneLine: true });
        w.host.className = TAG;
        this.#widgets.set(li, w);
      }
      // One widget per row, whatever Torn's re-render left behind (a row node reused, a clone).
      for (const p of present) if (p !== w.host) p.remove();
      w.fill(r, state, nowMs);
      if (w.host.parentNode !== li) li.append(w.host);
    }
    const decorated = this.decorated > 0;
    if (decorated !== this.#decorated) {
      this.#decorated = decorated;
      this.#decoratedChanged();
    }
    let hidden = 0;
    let block: Element | null = null;
    for (const [ul, rows] of lists) {
      hidden += arrangeTornList(ul, rows, this.#choice.value, state?.me?.id);
      if (!block && rows.some((x) => x.row)) block = ul.closest(WAR_BLOCK);
    }
    // The strip shows while the list has targets of ours: signed out, or on another war, it goes. Before
    // the first read of Torn (or while Torn cannot be read) there are none yet: it shows to say why.
    const note = state ? syncNote(state.sync) : null;
    if (!block && note) block = document.querySelector(WAR_BLOCK);
    this.#strip.note = note;
    if (block) {
      this.#strip.place(block);
      this.#strip.hiddenCount = hidden;
    } else this.#strip.remove();
  }
}
