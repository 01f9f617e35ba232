/**
 * The panel's list of targets: each row with its level and activity (Online/Idle/Offline and how
 * long ago), its status, who called it, a leader's mark, travel and early exits, and the member's buttons (Call/Release, watch, Assist; Mark for leaders). Rows are
 * kept and refilled, never rebuilt, so a note being typed into a row keeps its focus.
 */
import type { CallOp } from '../../protocol/call.js';
import type { MarkKind } from '../../protocol/intel.js';
import { activityMark } from '../core/activity.js';
import { el } from '../core/dom.js';
import { formatCountdown } from '../core/duration-text.js';
import { callerText, markText, rowClass, rowFlags, statusText, type Row } from '../core/target-row.js';
import type { WarState } from '../core/war-state.js';

export interface TargetListActions {
  toggleCall(targetId: number, op: 'call' | 'release'): unknown;
  sendOp(op: CallOp): Promise<boolean>;
}

/** A note's longest length (the server's limit, migrations/006). */
const NOTE_MAX = 140;

export class TargetList {
  readonly element: HTMLUListElement;
  readonly #rows = new Map<number, HTMLLIElement>();
  readonly #actions: TargetListActions;
  /** Whether this member may mark targets; see `canMark`. */
  #canMark = true;

  constructor(actions: TargetListActions) {
    this.#actions = actions;
    this.element = el('ul', { class: 'targets', 'aria-label': 'Targets' });
    this.element.addEventListener('click', (e) => this.#click(e));
    this.element.addEventListener('submit', (e) => {
      e.preventDefault();
      const form = e.target as HTMLFormElement;
      const id = Number(form.getAttribute('data-target-id'));
      const note = (form.elements.namedItem('note') as HTMLInputElement).value.trim();
      if (note) void this.#mark(id, 'note', note);
    });
  }

  /**
   * Leaders (the server's MARK_POSITIONS) get the Mark controls. A server that says who may mark
   * (`me.canMark`) decides; otherwise the controls show until the server refuses a mark.
   */
  set canMark(v: boolean) {
    this.#canMark = v;
    this.element.toggleAttribute('data-can-mark', v);
  }

  get canMark(): boolean {
    return this.#canMark;
  }

  clear(): void {
    this.element.textContent = '';
    this.#rows.clear();
  }

  /** Draws `rows` in their order, dropping rows that are no longer targets. */
  render(rows: Row[], state: WarState, nowMs: number): void {
    const seen = new Set<number>();
    let i = 0;
    for (const r of rows) {
      seen.add(r.target.id);
      const li = this.#row(r.target.id);
      this.#fill(li, r, state, nowMs);
      // Moved only when out of place: moving a row would take the focus from a note being typed.
      if (this.element.children[i] !== li) this.element.insertBefore(li, this.element.children[i] ?? null);
      i++;
    }
    for (const [id, li] of this.#rows) {
      if (!seen.has(id)) {
        li.remove();
        this.#rows.delete(id);
      }
    }
  }

  #row(id: number): HTMLLIElement {
    let li = this.#rows.get(id);
    if (li) return li;
    li = el('li', { 'data-target-id': String(id) });
    const name = el('span', { class: 'name' });
    name.append(
      el('a', { target: '_blank', rel: 'noopener' }),
      document.createTextNode(' '),
      el('span', { class: 'lvl' }),
      document.createTextNode(' '),
      el('span', { class: 'act' }),
    );
    const acts = el('span', { class: 'acts' });
    acts.append(
      el('button', { type: 'button', class: 'watch', 'data-act': 'watch' }, 'Watch'),
      el('button', { type: 'button', class: 'assist', 'data-act': 'assist' }, 'Assist'),
      el('button', { type: 'button', class: 'markbtn', 'data-act': 'marks', 'aria-expanded': 'false' }, '★'),
    );
    const bar = el('form', { class: 'markbar', 'data-target-id': String(id) });
    const note = el('input', {
      name: 'note',
      maxlength: String(NOTE_MAX),
      placeholder: 'Note for the faction',
      'aria-label': 'Note for the faction',
    });
    bar.append(
      el('button', { type: 'button', 'data-act': 'mark', 'data-mark': 'priority' }, 'Priority'),
      el('button', { type: 'button', 'data-act': 'mark', 'data-mark': 'avoid' }, 'Avoid'),
      note,
      el('button', { type: 'submit' }, 'Note'),
      el('button', { type: 'button', 'data-act': 'unmark' }, 'Clear'),
    );
    bar.hidden = true;
    li.append(
      name,
      el('span', { class: 'status' }),
      el('button', { type: 'button', class: 'callbtn' }),
      el('span', { class: 'caller' }),
      acts,
      el('span', { class: 'intel' }),
      bar,
    );
    for (const b of li.querySelectorAll('button')) b.setAttribute('data-target-id', String(id));
    this.#rows.set(id, li);
    return li;
  }

  #fill(li: HTMLLIElement, r: Row, state: WarState, nowMs: number): void {
    const t = r.target;
    const me = state.me?.id;
    const mine = r.call?.callerId === me;
    const cls = [rowClass(r), ...rowFlags(r), ...(mine ? ['mine'] : [])].join(' ');
    if (li.className !== cls) li.className = cls;
    const a = li.querySelector('a') as HTMLAnchorElement;
    setAttr(a, 'href', t.links.attack);
    setText(a, t.name);
    setAttr(a, 'title', `Attack ${t.name} [${t.id}]`);
    setText(li.querySelector('.lvl'), `Lv ${t.level}`);
    const act = activityMark(t, state.serverNow(nowMs));
    const actEl = li.querySelector('.act') as HTMLElement;
    setAttr(actEl, 'data-activity', act.activity);
    setAttr(actEl, 'title', act.title);
    setAttr(actEl, 'aria-label', act.title);
    setText(actEl, act.short);
    setText(li.querySelector('.status'), statusText(r));
    setText(li.querySelector('.caller'), r.call ? `called by ${callerText(r.call, me)}` : '');

    const btn = li.querySelector('button.callbtn') as HTMLButtonElement;
    const op = mine ? 'release' : 'call';
    setAttr(btn, 'data-op', op);
    btn.classList.toggle('call', op === 'call');
    btn.classList.toggle('release', op === 'release');
    setText(btn, mine ? 'Release' : 'Call');
    setAttr(btn, 'aria-label', `${mine ? 'Release' : 'Call'} ${t.name}`);
    btn.disabled = r.pending || (!!r.call && !mine);

    const explicit = state.watches.has(t.id);
    const watch = li.querySelector('button.watch') as HTMLButtonElement;
    setAttr(watch, 'data-act', explicit ? 'unwatch' : 'watch');
    setAttr(watch, 'aria-pressed', String(r.watched));
    setText(watch, r.watched ? 'Watching' : 'Watch');
    setAttr(watch, 'aria-label', explicit ? `Stop watching ${t.name}` : `Watch ${t.name}`);
    setAttr(
      watch,
      'title',
      r.watched && !explicit ? 'Watched: your call' : explicit ? 'Watched: alerts before the exit' : 'Alert me before the exit',
    );
    watch.disabled = r.watched && !explicit;

    const assists = state.openAssists(nowMs).filter((x) => x.targetId === t.id);
    const asked = assists.some((x) => x.requester.id === me);
    const assist = li.querySelector('button.assist') as HTMLButtonElement;
    setText(assist, asked ? 'Asked' : 'Assist');
    setAttr(assist, 'aria-label', `Assist: ask for help on ${t.name}`);

    const markBtn = li.querySelector('button.markbtn') as HTMLButtonElement;
    markBtn.hidden = !this.#canMark;
    setAttr(markBtn, 'aria-label', `Mark ${t.name}`);
    if (!this.#canMark) (li.querySelector('.markbar') as HTMLElement).hidden = true;

    const intel: string[] = [];
    if (r.mark) intel.push(markText(r.mark));
    if (r.earlyExit) intel.push('left hospital early');
    const now = state.serverNow(nowMs);
    for (const x of assists)
      intel.push(`${x.requester.id === me ? 'you ask' : `${x.requester.name} asks`} for help · ${formatCountdown(x.expiresAt - now)}`);
    setText(li.querySelector('.intel'), intel.join(' · '));
  }

  #click(e: Event): void {
    const btn = (e.target as HTMLElement).closest('button');
    if (!btn || btn.type === 'submit') return;
    const id = Number(btn.getAttribute('data-target-id'));
    const op = btn.getAttribute('data-op');
    if (op === 'call' || op === 'release') {
      this.#actions.toggleCall(id, op);
      return;
    }
    const act = btn.getAttribute('data-act');
    if (act === 'watch' || act === 'unwatch' || act === 'assist') {
      void this.#send({ op: act, targetId: id });
    } else if (act === 'unmark') {
      void this.#send({ op: act, targetId: id }).then((done) => done && this.#closeMarkBar(id));
    } else if (act === 'mark') {
      void this.#mark(id, btn.getAttribute('data-mark') as MarkKind);
    } else if (act === 'marks') {
      const bar = this.#rows.get(id)?.querySelector('.markbar') as HTMLElement | null;
      if (!bar) return;
      bar.hidden = !bar.hidden;
      btn.setAttribute('aria-expanded', String(!bar.hidden));
    }
  }

  async #mark(targetId: number, mark: MarkKind, note?: string): Promise<void> {
    const done = await this.#send(note === undefined ? { op: 'mark', targetId, mark } : { op: 'mark', targetId, mark, note });
    if (done) this.#closeMarkBar(targetId);
  }

  #closeMarkBar(targetId: number): void {
    const li = this.#rows.get(targetId);
    if (!li) return;
    (li.querySelector('input[name="note"]') as HTMLInputElement).value = '';
    (li.querySelector('.markbar') as HTMLElement).hidden = true;
    li.querySelector('button.markbtn')?.setAttribute('aria-expanded', 'false');
  }

  async #send(op: CallOp): Promise<boolean> {
    const done = await this.#actions.sendOp(op);
    // Refused: this member has no position that may mark (the message says so); the controls go.
    if (!done && (op.op === 'mark' || op.op === 'unmark') && this.#canMarkUnknown) this.canMark = false;
    return done;
  }

  /** Whether the server left it open who may mark (no `me.canMark` in its snapshot). */
  #canMarkUnknown = true;

  /** What the snapshot says about marking: true/false decides; undefined leaves it to the first refusal. */
  decideCanMark(v: boolean | undefined): void {
    this.#canMarkUnknown = v === undefined;
    if (v !== undefined) this.canMark = v;
  }
}

function setAttr(e: Element, name: string, value: string): void {
  if (e.getAttribute(name) !== value) e.setAttribute(name, value);
}

function setText(e: Element | null, value: string): void {
  if (e && e.textContent !== value) e.textContent = value;
}
