/**
 * One target as TornCat sees it, drawn inside Torn's own pages (a row of the ranked-war member list,
 * the attack page's bar, a profile's bar): a leader's mark, who called it (or claimed it for its
 * hospital exit), travel and early exits, assist requests on it, and the member's buttons: Call or
 * Release, watch, Assist. Each widget lives in its own shadow root, so that Torn's CSS and ours stay
 * apart; every one adopts the same stylesheet.
 */
import type { CallOp } from '../../../protocol/call.js';
import { el } from '../../core/dom.js';
import { callerText, markText, statusText, travelText, hospitalAbroadText, type Row } from '../../core/target-row.js';
import type { WarState } from '../../core/war-state.js';

/** What the widget's buttons do: the client core's methods. */
export interface WidgetActions {
  toggleCall(targetId: number, op: 'call' | 'release'): unknown;
  sendOp(op: CallOp): unknown;
}

const CSS = `
:host { all: initial; display: inline-flex; flex-wrap: wrap; justify-content: flex-end; max-width: 100%; align-items: center; gap: 4px 6px; font: 12px/1.3 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; color: inherit; }
:host([data-line]) { flex-wrap: nowrap; overflow: hidden; }
:host([data-line]) .state, :host([data-line]) .intel, :host([data-line]) .mark { min-width: 0; flex: 0 1 auto; }
:host([data-line]) button { flex: none; }
.state { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; max-width: 14em; }
.state[data-state="free"] { color: #3fb950; }
.state[data-state="other"] { color: #d29922; }
.state[data-state="mine"] { color: #58a6ff; font-weight: 600; }
.status { color: #9aa3ae; white-space: nowrap; }
.mark { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; max-width: 16em; padding: 0 5px; border-radius: 8px; background: #3a3320; color: #f0c674; font-weight: 600; }
.mark[data-mark="avoid"] { background: #3a3f47; color: #c9d1d9; }
.mark:empty { display: none; }
.intel { color: #d29922; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; max-width: 18em; }
.intel[data-early="true"] { color: #58a6ff; font-weight: 600; }
.intel:empty { display: none; }
button.small { background: #353b44; border-color: #4a515c; padding: 2px 6px; }
button.watch[aria-pressed="true"] { background: #1f5130; border-color: #2e7a48; }
button { font: inherit; color: #fff; background: #24507a; border: 1px solid #2f6aa3; border-radius: 4px; padding: 2px 8px; min-height: 24px; cursor: pointer; }
button.release { background: #6b3a1f; border-color: #8c4d2a; }
button[disabled] { opacity: .5; cursor: default; }
button:focus-visible { outline: 2px solid #6cb6ff; outline-offset: 1px; }
`;

let sheet: CSSStyleSheet | null | undefined;
/** One constructed stylesheet for every widget (not subject to the page's CSP); null where the browser has none. */
function sharedSheet(): CSSStyleSheet | null {
  if (sheet === undefined) {
    try {
      sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS);
    } catch {
      sheet = null;
    }
  }
  return sheet;
}

/** The row of a target as the client core shows it, or undefined when it is not a target of this war. */
export function rowOf(state: WarState, id: number, nowMs: number = Date.now()): Row | undefined {
  return state.row(id, nowMs);
}

/** A host element with the target's state and buttons; `fill` redraws it from a Row, touching only what changed. */
export class CallWidget {
  readonly host: HTMLElement;
  readonly #mark: HTMLElement;
  readonly #state: HTMLElement;
  readonly #status: HTMLElement;
  readonly #intel: HTMLElement;
  readonly #button: HTMLButtonElement;
  readonly #watch: HTMLButtonElement;
  readonly #assist: HTMLButtonElement;
  readonly #showStatus: boolean;
  #targetId = 0;

  /**
   * `showStatus`: the widget says the target's status itself (the bars; Torn's war rows have their
   * own status cell, so there the widget adds only what Torn does not say: travel times, a hospital abroad).
   * `oneLine`: never wraps (Torn's war rows): its texts shorten, its buttons keep their size.
   */
  constructor(tag: string, actions: WidgetActions, options: { showStatus?: boolean; oneLine?: boolean } = {}) {
    this.#showStatus = !!options.showStatus;
    this.host = document.createElement(tag);
    if (options.oneLine) this.host.setAttribute('data-line', '');
    const root = this.host.attachShadow({ mode: 'open' });
    const s = sharedSheet();
    if (s) root.adoptedStyleSheets = [s];
    else root.append(el('style', {}, CSS));
    this.#mark = el('span', { class: 'mark', part: 'mark' });
    this.#state = el('span', { class: 'state', part: 'state' });
    this.#status = el('span', { class: 'status', part: 'status' });
    this.#status.hidden = !this.#showStatus;
    this.#intel = el('span', { class: 'intel', part: 'intel' });
    this.#button = el('button', { type: 'button' });
    this.#watch = el('button', { type: 'button', class: 'small watch' }, 'Watch');
    this.#assist = el('button', { type: 'button', class: 'small assist' }, 'Assist');
    root.append(this.#status, this.#mark, this.#state, this.#intel, this.#button, this.#watch, this.#assist);
    root.addEventListener('click', (e) => {
      const b = (e.target as HTMLElement).closest('button');
      if (!b) return;
      e.preventDefault();
      e.stopPropagation(); // Torn's row may open a menu on click
      const op = b.getAttribute('data-op');
      if (op === 'call' || op === 'release') actions.toggleCall(this.#targetId, op);
      else if (op === 'watch' || op === 'unwatch' || op === 'assist') actions.sendOp({ op, targetId: this.#targetId });
    });
  }

  fill(r: Row, state: WarState, nowMs: number = Date.now()): void {
    const t = r.target;
    const myId = state.me?.id;
    this.#targetId = t.id;
    const mine = !!r.call && r.call.callerId === myId;
    const callState = !r.call ? 'free' : mine ? 'mine' : 'other';
    set(this.host, 'data-target-id', String(t.id));
    set(this.host, 'data-call', callState);
    set(this.host, 'data-mark', r.mark?.mark ?? '');
    set(this.#state, 'data-state', callState);
    text(this.#state, !r.call ? 'free' : `called by ${callerText(r.call, myId)}`);
    text(this.#status, statusText(r));
    set(this.#mark, 'data-mark', r.mark?.mark ?? '');
    text(this.#mark, r.mark ? `${r.mark.mark === 'priority' ? '★ ' : r.mark.mark === 'avoid' ? '⊘ ' : '✎ '}${markText(r.mark)}` : '');
    set(this.#mark, 'title', r.mark ? `${markText(r.mark)} (${r.mark.by.name})` : '');

    const intel: string[] = [];
    if (r.earlyExit) intel.push('out early');
    if (!this.#showStatus) {
      if (t.hospitalCountry && t.status.state === 'Hospital') intel.push(hospitalAbroadText(t.hospitalCountry, t.status.description));
      else if (t.travel) intel.push(travelText(t.travel));
    }
    const now = state.serverNow(nowMs);
    const helpers = state.openAssists(nowMs).filter((a) => a.targetId === t.id && a.expiresAt > now);
    if (helpers.length) intel.push(`help: ${helpers.map((a) => (a.requester.id === myId ? 'you' : a.requester.name)).join(', ')}`);
    text(this.#intel, intel.join(' · '));
    set(this.#intel, 'data-early', String(r.earlyExit));

    const op = mine ? 'release' : 'call';
    set(this.#button, 'data-op', op);
    if (this.#button.className !== op) this.#button.className = op;
    text(this.#button, mine ? 'Release' : 'Call');
    set(this.#button, 'aria-label', `${mine ? 'Release' : 'Call'} ${t.name}`);
    const disabled = r.pending || (!!r.call && !mine);
    if (this.#button.disabled !== disabled) this.#button.disabled = disabled;

    const explicit = state.watches.has(t.id);
    set(this.#watch, 'data-op', explicit ? 'unwatch' : 'watch');
    set(this.#watch, 'aria-pressed', String(r.watched));
    text(this.#watch, r.watched ? 'Watching' : 'Watch');
    set(this.#watch, 'aria-label', explicit ? `Stop watching ${t.name}` : `Watch ${t.name}`);
    set(
      this.#watch,
      'title',
      r.watched && !explicit ? 'Watched: your call' : explicit ? 'Watched: alerts before the exit' : 'Alert me before the exit',
    );
    const watchOff = r.watched && !explicit;
    if (this.#watch.disabled !== watchOff) this.#watch.disabled = watchOff;
    set(this.#assist, 'data-op', 'assist');
    set(this.#assist, 'aria-label', `Assist: ask for help on ${t.name}`);
    text(this.#assist, helpers.some((a) => a.requester.id === myId) ? 'Asked' : 'Assist');
  }
}

function set(e: Element, name: string, value: string): void {
  if (e.getAttribute(name) !== value) e.setAttribute(name, value);
}

function text(e: Element, value: string): void {
  if (e.textContent !== value) e.textContent = value;
}
