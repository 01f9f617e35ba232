/**
 * A bar on Torn's attack page (`page.php?sid=attack&user2ID=<id>` since April 2026, the older
 * `loader.php?sid=attack&user2ID=<id>` still reached by old links) and on a profile
 * (`profiles.php?XID=<id>`): who called this target, a leader's mark, Call/Release, watch and Assist,
 * and the faction's chain (red when its timeout runs low). It sits in the page's flow above Torn's
 * content (never floating over the attack button) and is put back if the page's own rendering removes it.
 */
import { el } from '../../core/dom.js';
import type { WarState } from '../../core/war-state.js';
import { chainLine } from '../chain-text.js';
import { CallWidget, rowOf, type WidgetActions } from './call-widget.js';

export type TargetPage = { kind: 'attack' | 'profile'; targetId: number };

/** Which of the two pages `loc` is, and about whom; null for any other page. */
export function targetPage(loc: { pathname: string; search: string }): TargetPage | null {
  const q = new URLSearchParams(loc.search);
  if (/\/(?:page|loader)\.php$/.test(loc.pathname) && q.get('sid') === 'attack') {
    const id = Number(q.get('user2ID'));
    return Number.isSafeInteger(id) && id > 0 ? { kind: 'attack', targetId: id } : null;
  }
  if (/\/profiles\.php$/.test(loc.pathname)) {
    const id = Number(q.get('XID'));
    return Number.isSafeInteger(id) && id > 0 ? { kind: 'profile', targetId: id } : null;
  }
  return null;
}

/** Where the bar goes: before Torn's React root (its content), else at the top of the page. */
function anchor(): { parent: Node; before: Node | null } {
  const root = document.getElementById('react-root') ?? document.querySelector('.content-wrapper, main');
  if (root?.parentNode) return { parent: root.parentNode, before: root };
  return { parent: document.body, before: document.body.firstChild };
}

const BAR_CSS =
  'flex-wrap:wrap;align-items:center;gap:6px 10px;margin:6px 0;padding:6px 10px;border-radius:6px;' +
  'background:#1c1f24;color:#e8e8e8;border:1px solid #3a3f47;font:13px/1.35 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;';

export class TargetBar {
  readonly host: HTMLElement;
  readonly #label: HTMLElement;
  readonly #widget: CallWidget;
  readonly #chain: HTMLElement;
  readonly #page: TargetPage;
  readonly #panelBtn: HTMLButtonElement;
  #observer: MutationObserver | null = null;
  #shown = false;

  readonly #chainThresholdS: () => number;

  /**
   * `togglePanel` opens the floating panel, which this page keeps out of the way; `chainThresholdS`
   * is the member's chain alert setting, below which the chain shows red.
   */
  constructor(page: TargetPage, actions: WidgetActions, togglePanel: () => void, chainThresholdS: () => number) {
    this.#chainThresholdS = chainThresholdS;
    this.#page = page;
    this.host = el('div', { id: 'torncat-target-bar', role: 'region', 'aria-label': 'TornCat call' });
    this.host.style.cssText = BAR_CSS;
    this.host.hidden = true;
    this.host.style.display = 'none';
    this.#label = el('span', { class: 'torncat-target' });
    this.#widget = new CallWidget('torncat-call', actions, { showStatus: true });
    this.#chain = el('span', { class: 'torncat-chain', role: 'status', 'aria-label': 'Chain' });
    this.#chain.style.cssText = 'padding:1px 6px;border-radius:8px;font-variant-numeric:tabular-nums;white-space:nowrap';
    this.#chain.hidden = true;
    this.#panelBtn = el('button', { type: 'button', 'aria-label': 'TornCat panel' }, 'TornCat');
    this.#panelBtn.style.cssText =
      'margin-left:auto;font:inherit;color:#e8e8e8;background:#353b44;border:1px solid #4a515c;border-radius:4px;padding:2px 8px;min-height:24px;cursor:pointer';
    this.#panelBtn.addEventListener('click', () => togglePanel());
    this.host.append(this.#label, this.#widget.host, this.#chain, this.#panelBtn);
  }

  get targetId(): number {
    return this.#page.targetId;
  }

  /** Whether the bar shows (signed in, and the id is a target of this war). */
  get shown(): boolean {
    return this.#shown;
  }

  start(): void {
    this.#place();
    this.#observer ??= new MutationObserver(() => {
      if (!this.host.isConnected) this.#place();
    });
    this.#observer.observe(document.body, { childList: true, subtree: true });
  }

  /** The model changed (null: signed out): the bar shows the target's call, or hides when it is no target. */
  render(state: WarState | null): void {
    const r = state ? rowOf(state, this.#page.targetId) : undefined;
    this.#shown = !!r;
    this.host.hidden = !r;
    // An inline display would override the hidden attribute: it goes with it.
    this.host.style.display = r ? 'flex' : 'none';
    if (!r || !state) return;
    const t = r.target;
    const label = `TornCat · ${t.name} [${t.id}]`;
    if (this.#label.textContent !== label) this.#label.textContent = label;
    const nowMs = Date.now();
    this.#widget.fill(r, state, nowMs);
    const chain = chainLine(state, this.#chainThresholdS(), nowMs);
    this.#chain.hidden = !chain;
    if (this.#chain.textContent !== (chain?.text ?? '')) this.#chain.textContent = chain?.text ?? '';
    this.#chain.setAttribute('data-urgent', String(!!chain?.urgent));
    this.#chain.style.background = chain?.urgent ? '#7a2323' : '#1f2d3a';
    this.#chain.style.fontWeight = chain?.urgent ? '600' : '';
  }

  #place(): void {
    const { parent, before } = anchor();
    parent.insertBefore(this.host, before);
  }
}
