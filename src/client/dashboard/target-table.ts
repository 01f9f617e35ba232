import type { CallOp } from '../../protocol/call.js';
import type { MarkKind } from '../../protocol/intel.js';
import { byId, el } from '../core/dom.js';
import { activityMark } from '../core/activity.js';
import { formatAgo } from '../core/duration-text.js';
import type { ListChoiceSetting } from '../core/list-choice-controls.js';
import { arrangeRows } from '../core/row-order.js';
import { callerText, markText, rowClass, rowFlags, statusText, type Row } from '../core/target-row.js';
import type { WarState } from '../core/war-state.js';

/** A mark's note: short free text (the server refuses longer). */
const NOTE_MAX = 100;

/**
 * The targets table: one row per target in the member's sort (leaders' priority marks first, see
 * row-order.ts), less the rows the member's filters hide, each with its mark, activity, status
 * (travel, hospital abroad, early exit), caller, and the member's buttons: Attack, Call/Release,
 * Watch, Assist, and for leaders the mark menu.
 */
export class TargetTable {
  readonly #rows = new Map<number, HTMLTableRowElement>();
  readonly #tbody = (byId('targets') as HTMLTableElement).tBodies[0];
  readonly #choice: ListChoiceSetting;

  constructor(send: (op: CallOp) => void, choice: ListChoiceSetting) {
    this.#choice = choice;
    this.#tbody.addEventListener('click', (e) => {
      const btn = (e.target as HTMLElement).closest('button[data-op]') as HTMLButtonElement | null;
      if (!btn) return;
      const targetId = Number(btn.dataset.targetId);
      send({ op: btn.dataset.op as 'call' | 'release' | 'watch' | 'unwatch' | 'assist', targetId });
    });
    this.#tbody.addEventListener('change', (e) => {
      const select = (e.target as HTMLElement).closest('select.mark') as HTMLSelectElement | null;
      if (!select) return;
      const targetId = Number(select.dataset.targetId);
      const kind = select.value as MarkKind | '';
      if (kind === '') return send({ op: 'unmark', targetId });
      let note: string | undefined;
      if (kind === 'note') {
        const text = prompt(`A note on ${select.dataset.name ?? 'this target'} for the faction (up to ${NOTE_MAX} characters)`, '');
        if (!text?.trim()) {
          select.value = select.dataset.current ?? '';
          return;
        }
        note = text.trim().slice(0, NOTE_MAX);
      }
      send({ op: 'mark', targetId, mark: kind, ...(note ? { note } : {}) });
    });
  }

  /** Draws the rows the member's filters leave, in their sort; returns how many the filters hide. */
  render(state: WarState, now: number): number {
    const seen = new Set<number>();
    const canMark = state.me?.canMark !== false;
    const { shown, hidden } = arrangeRows(state.rows(now), this.#choice.value, state.me?.id);
    let i = 0;
    for (const r of shown) {
      seen.add(r.target.id);
      const tr = this.#row(r.target.id);
      this.#fill(tr, r, state, now, canMark);
      // Moved only when out of place: an open mark menu keeps its focus through the redraws.
      if (this.#tbody.rows[i] !== tr) this.#tbody.insertBefore(tr, this.#tbody.rows[i] ?? null);
      i++;
    }
    for (const [id, tr] of this.#rows) {
      if (!seen.has(id)) {
        tr.remove();
        this.#rows.delete(id);
      }
    }
    return hidden.length;
  }

  /** The activity: in words in its column, as a dot and a few characters beside the name on a phone. */
  #fillActivity(tr: HTMLTableRowElement, r: Row, state: WarState, now: number): void {
    const t = r.target;
    const serverNow = state.serverNow(now);
    const mark = activityMark(t, serverNow);
    const ts = t.lastAction.timestamp;
    const last = tr.cells[3];
    last.dataset.activity = mark.activity;
    const text = `${t.lastAction.status ?? '?'}${ts ? ` · ${formatAgo(serverNow - ts)}` : ''}`;
    if (last.textContent !== text) last.textContent = text;
    const short = tr.cells[0].querySelector('.act') as HTMLElement;
    short.dataset.activity = mark.activity;
    short.title = mark.title;
    if (short.textContent !== mark.short) short.textContent = mark.short;
  }

  #row(id: number): HTMLTableRowElement {
    let tr = this.#rows.get(id);
    if (tr) return tr;
    const key = String(id);
    tr = el('tr', { 'data-target-id': key });
    const name = el('td', { class: 'name' });
    name.append(
      el('a', { target: '_blank', rel: 'noopener' }),
      el('span', { class: 'mark-badge' }),
      el('span', { class: 'bell', title: 'Watched: you get an alert before it leaves hospital' }),
      el('span', { class: 'act' }),
    );
    const actions = el('td', { class: 'actions' });
    const select = el('select', { class: 'mark', 'data-target-id': key });
    for (const [value, label] of [
      ['', 'No mark'],
      ['priority', 'Priority'],
      ['avoid', 'Avoid'],
      ['note', 'Note…'],
    ])
      select.append(el('option', { value }, label));
    const acts = el('div', { class: 'acts' });
    actions.append(acts);
    acts.append(
      el('a', { class: 'attack', target: '_blank', rel: 'noopener' }, 'Attack'),
      el('button', { type: 'button', class: 'call', 'data-target-id': key }),
      el('button', { type: 'button', class: 'watch', 'data-target-id': key }),
      el('button', { type: 'button', class: 'assist', 'data-target-id': key, 'data-op': 'assist' }, 'Assist'),
      select,
    );
    tr.append(
      name,
      el('td', { class: 'lv' }),
      el('td', { class: 'status' }),
      el('td', { class: 'last act' }),
      el('td', { class: 'caller' }),
      actions,
    );
    this.#rows.set(id, tr);
    return tr;
  }

  #fill(tr: HTMLTableRowElement, r: Row, state: WarState, now: number, canMark: boolean): void {
    const t = r.target;
    const mine = r.call?.callerId === state.me?.id;
    tr.className = [rowClass(r), ...rowFlags(r), ...(mine ? ['mine'] : [])].join(' ');
    const cells = tr.cells;
    const link = cells[0].firstChild as HTMLAnchorElement;
    link.href = t.links.profile;
    link.textContent = `${t.name} [${t.id}]`;
    const badge = cells[0].querySelector('.mark-badge') as HTMLElement;
    badge.textContent = r.mark ? markText(r.mark) : '';
    badge.title = r.mark ? `Marked by ${r.mark.by.name}` : '';
    badge.dataset.mark = r.mark?.mark ?? '';
    (cells[0].querySelector('.bell') as HTMLElement).textContent = r.watched ? 'watched' : '';
    cells[1].textContent = String(t.level);
    cells[2].textContent = statusText(r);
    cells[2].title = [
      t.status.description,
      t.status.details,
      t.isRevivable ? 'revivable' : '',
      t.hasEarlyDischarge ? 'early discharge possible' : '',
    ]
      .filter(Boolean)
      .join(' — ');
    this.#fillActivity(tr, r, state, now);
    cells[4].textContent = r.call ? callerText(r.call, state.me?.id) : '';
    const attack = cells[5].querySelector('a') as HTMLAnchorElement;
    attack.href = t.links.attack;
    attack.setAttribute('aria-label', `Attack ${t.name}`);
    const call = cells[5].querySelector('button.call, button.release') as HTMLButtonElement;
    const op = mine ? 'release' : 'call';
    call.dataset.op = op;
    call.className = op;
    call.textContent = mine ? 'Release' : r.call ? 'Called' : t.status.state === 'Hospital' ? 'Call for exit' : 'Call';
    call.setAttribute('aria-label', `${mine ? 'Release' : 'Call'} ${t.name}`);
    call.disabled = r.pending || (!!r.call && !mine);
    const watch = cells[5].querySelector('button.watch') as HTMLButtonElement;
    const explicit = state.watches.has(t.id);
    watch.dataset.op = explicit ? 'unwatch' : 'watch';
    watch.textContent = explicit ? 'Unwatch' : 'Watch';
    watch.setAttribute('aria-pressed', String(explicit));
    watch.setAttribute('aria-label', `${explicit ? 'Stop watching' : 'Watch'} ${t.name}`);
    const assist = cells[5].querySelector('button.assist') as HTMLButtonElement;
    assist.setAttribute('aria-label', `Ask for help on ${t.name}`);
    const select = cells[5].querySelector('select.mark') as HTMLSelectElement;
    select.hidden = !canMark;
    select.dataset.name = t.name;
    select.dataset.current = r.mark?.mark ?? '';
    select.value = r.mark?.mark ?? '';
    select.setAttribute('aria-label', `Mark ${t.name}`);
  }
}
