/**
 * The sort select and filter toggles above Torn's ranked-war member lists, in a shadow root of its
 * own. It sits where TornTools puts its ranked-war filter: just before the `.faction-war` block
 * (Mephiles/torntools_extension, src/common/features/ranked-war-filter/ranked-war-filter.ts,
 * 2026-08-22: `nextElement: rankedWarList`), in the page's flow, so it covers nothing of Torn's.
 */
import { ListChoiceControls, type ListChoiceSetting } from '../../core/list-choice-controls.js';
import { el } from '../../core/dom.js';

const TAG = 'torncat-list-controls';

const CSS = `
:host { all: initial; display: block; margin: 4px 0; font: 12px/1.3 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; color: #ddd; }
.strip { display: flex; flex-wrap: wrap; align-items: center; gap: 4px 6px; padding: 4px 6px; background: #1c1f24; border: 1px solid #3a3f47; border-radius: 5px; }
.brand { font-weight: 700; color: #8cc8ff; }
.list-choice { display: contents; }
select, button { font: inherit; color: #e8e8e8; background: #353b44; border: 1px solid #4a515c; border-radius: 4px; min-height: 24px; padding: 1px 6px; cursor: pointer; }
button.filter[aria-pressed="true"] { background: #5a2a2a; border-color: #8c3a3a; text-decoration: line-through; }
.hide-label { color: #9aa3ae; }
.hidden-count { color: #f0c674; }
.sync-note { color: #f0c674; }
:focus-visible { outline: 2px solid #6cb6ff; outline-offset: 1px; }
`;

export class ListStrip {
  readonly host: HTMLElement;
  readonly #controls: ListChoiceControls;
  readonly #note: HTMLElement;

  constructor(setting: ListChoiceSetting) {
    this.host = document.createElement(TAG);
    const root = this.host.attachShadow({ mode: 'open' });
    try {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS);
      root.adoptedStyleSheets = [sheet];
    } catch {
      root.append(el('style', {}, CSS));
    }
    this.#controls = new ListChoiceControls(setting, { defaultLabel: "Torn's order" });
    const strip = el('div', { class: 'strip' });
    this.#note = el('span', { class: 'sync-note', role: 'status' });
    this.#note.hidden = true;
    strip.append(el('span', { class: 'brand' }, 'TornCat'), this.#note, this.#controls.element);
    root.append(strip);
  }

  /** Just before Torn's war block, once (Torn's re-render may drop it: then it goes back). */
  place(before: Element): void {
    if (this.host.nextElementSibling === before) return;
    before.parentNode?.insertBefore(this.host, before);
  }

  remove(): void {
    this.host.remove();
  }

  /** Why the list has no TornCat rows yet (the first read of Torn is running, or Torn cannot be read); null: nothing to say. */
  set note(text: string | null) {
    this.#note.textContent = text ?? '';
    this.#note.hidden = text === null;
  }

  set hiddenCount(n: number) {
    this.#controls.hiddenCount = n;
  }
}
