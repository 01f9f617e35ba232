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
 */
import type { WarState } from '../../core/war-state.js';
import { CallWidget, rowOf, type CallAction } from './call-widget.js';

/** Enemy rows first; any war member-list row as a fallback (only war targets get a widget either way). */
const WAR_ROW_SELECTOR = '.enemy-faction .members-list > li, .faction-war .members-list > li';
const PROFILE_LINK = 'a[href*="profiles.php?XID="]';
const TAG = 'torncat-call';

/** The Torn id of the member a row is about, from its profile link; null for a row without one (headers, join slots). */
function rowMemberId(row: Element): number | null {
  const a = row.querySelector<HTMLAnchorElement>(PROFILE_LINK);
  const m = a ? /[?&]XID=(\d+)/.exec(a.getAttribute('href') ?? '') : null;
  return m ? Number(m[1]) : null;
}

export class WarListDecorator {
  readonly #onCall: CallAction;
  readonly #widgets = new WeakMap<Element, CallWidget>();
  #state: WarState | null = null;
  #observer: MutationObserver | null = null;
  #queued = false;

  constructor(onCall: CallAction) {
    this.#onCall = onCall;
  }

  /** Watches the page for Torn's (re-)rendered rows. */
  start(root: Node = document.body): void {
    if (this.#observer) return;
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
    for (const li of new Set(document.querySelectorAll(WAR_ROW_SELECTOR))) {
      const id = rowMemberId(li);
      const r = state && id !== null ? rowOf(state, id, nowMs) : undefined;
      const present = li.querySelectorAll(`:scope > ${TAG}`);
      if (!r) {
        for (const p of present) p.remove();
        continue;
      }
      let w = this.#widgets.get(li);
      if (!w || w.host.parentNode !== li) {
        w = new CallWidget(TAG, this.#onCall);
        w.host.className = TAG;
        this.#widgets.set(li, w);
      }
      // One widget per row, whatever Torn's re-render left behind (a row node reused, a clone).
      for (const p of present) if (p !== w.host) p.remove();
      w.fill(r, state?.me?.id);
      if (w.host.parentNode !== li) li.append(w.host);
    }
  }
}
