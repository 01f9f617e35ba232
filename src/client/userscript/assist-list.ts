/** The panel's list of open assist requests: who asks for help on whom, how long it stays open, and the target's attack link. */
import { el } from '../core/dom.js';
import { formatCountdown } from '../core/duration-text.js';
import type { WarState } from '../core/war-state.js';

export class AssistList {
  readonly element: HTMLElement;
  readonly #list: HTMLUListElement;
  readonly #items = new Map<string, HTMLLIElement>();

  constructor() {
    this.element = el('div', { class: 'assists', role: 'region', 'aria-label': 'Open assists' });
    this.#list = el('ul');
    this.element.append(el('h3', {}, 'Help wanted'), this.#list);
    this.element.hidden = true;
  }

  render(state: WarState | null, nowMs: number): void {
    const open = state ? state.openAssists(nowMs) : [];
    this.element.hidden = open.length === 0;
    if (!state || open.length === 0) {
      this.#list.textContent = '';
      this.#items.clear();
      return;
    }
    const now = state.serverNow(nowMs);
    const me = state.me?.id;
    const keep = new Set<string>();
    for (const [i, a] of open.entries()) {
      const key = `${a.targetId}:${a.requester.id}`;
      keep.add(key);
      let li = this.#items.get(key);
      if (!li) {
        li = el('li', { 'data-target-id': String(a.targetId), 'data-requester-id': String(a.requester.id) });
        const who = el('span', { class: 'who' }, `${a.requester.id === me ? 'You' : a.requester.name} → `);
        who.append(el('a', { href: state.targets.get(a.targetId)?.links.attack ?? '#', target: '_blank', rel: 'noopener' }, a.targetName));
        li.append(who, el('span', { class: 'left', title: 'Open for' }));
        this.#items.set(key, li);
      }
      const left = li.querySelector('.left') as HTMLElement;
      const text = formatCountdown(a.expiresAt - now);
      if (left.textContent !== text) left.textContent = text;
      // Kept, not rebuilt, each second: a tap on a link must not land on a node just replaced.
      if (this.#list.children[i] !== li) this.#list.insertBefore(li, this.#list.children[i] ?? null);
    }
    for (const [key, li] of this.#items) {
      if (keep.has(key)) continue;
      li.remove();
      this.#items.delete(key);
    }
  }
}
