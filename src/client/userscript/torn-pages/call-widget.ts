/**
 * The call state of one target and its Call/Release button, drawn inside Torn's own pages (a row of
 * the ranked-war member list, the attack page's bar, a profile's bar). Each widget lives in its own
 * shadow root, so that Torn's CSS and ours stay apart; every one adopts the same stylesheet.
 */
import { el } from '../../core/dom.js';
import { statusText, type Row } from '../../core/target-row.js';
import type { WarState } from '../../core/war-state.js';

export type CallAction = (targetId: number, op: 'call' | 'release') => void;

const CSS = `
:host { all: initial; display: inline-flex; align-items: center; gap: 6px; font: 12px/1.3 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; color: inherit; }
.state { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; max-width: 14em; }
.state[data-state="free"] { color: #3fb950; }
.state[data-state="other"] { color: #d29922; }
.state[data-state="mine"] { color: #58a6ff; font-weight: 600; }
.status { color: #9aa3ae; white-space: nowrap; }
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
  const target = state.targets.get(id);
  if (!target) return undefined;
  return { target, call: state.callOn(id), pending: state.isPending(id), remaining: state.remaining(target, nowMs) };
}

/** A host element with the call state and the button; `fill` redraws it from a Row, touching only what changed. */
export class CallWidget {
  readonly host: HTMLElement;
  readonly #state: HTMLElement;
  readonly #status: HTMLElement;
  readonly #button: HTMLButtonElement;
  #targetId = 0;

  constructor(tag: string, onCall: CallAction, options: { showStatus?: boolean } = {}) {
    this.host = document.createElement(tag);
    const root = this.host.attachShadow({ mode: 'open' });
    const s = sharedSheet();
    if (s) root.adoptedStyleSheets = [s];
    else root.append(el('style', {}, CSS));
    this.#state = el('span', { class: 'state', part: 'state' });
    this.#status = el('span', { class: 'status', part: 'status' });
    this.#status.hidden = !options.showStatus;
    this.#button = el('button', { type: 'button' });
    root.append(this.#status, this.#state, this.#button);
    this.#button.addEventListener('click', (e) => {
      e.preventDefault();
      e.stopPropagation(); // Torn's row may open a menu on click
      const op = this.#button.getAttribute('data-op');
      if (op === 'call' || op === 'release') onCall(this.#targetId, op);
    });
  }

  fill(r: Row, myId: number | undefined): void {
    const t = r.target;
    this.#targetId = t.id;
    const mine = !!r.call && r.call.callerId === myId;
    const state = !r.call ? 'free' : mine ? 'mine' : 'other';
    set(this.host, 'data-target-id', String(t.id));
    set(this.host, 'data-call', state);
    set(this.#state, 'data-state', state);
    text(this.#state, !r.call ? 'free' : mine ? 'called by you' : `called by ${r.call.callerName}`);
    text(this.#status, statusText(r));
    const op = mine ? 'release' : 'call';
    set(this.#button, 'data-op', op);
    if (this.#button.className !== op) this.#button.className = op;
    text(this.#button, mine ? 'Release' : 'Call');
    set(this.#button, 'aria-label', `${mine ? 'Release' : 'Call'} ${t.name}`);
    const disabled = r.pending || (!!r.call && !mine);
    if (this.#button.disabled !== disabled) this.#button.disabled = disabled;
  }
}

function set(e: Element, name: string, value: string): void {
  if (e.getAttribute(name) !== value) e.setAttribute(name, value);
}

function text(e: Element, value: string): void {
  if (e.textContent !== value) e.textContent = value;
}
