import type { RungName } from '../../protocol/userscript-config.js';
import { byId, el } from '../core/dom.js';
import { formatAgo, formatCountdown } from '../core/duration-text.js';
import type { RungState } from '../core/ladder.js';
import { rowClass, statusText, type Row } from '../core/target-row.js';
import type { WarClient, WarView } from '../core/war-client.js';
import type { WarState } from '../core/war-state.js';

/** What the member can do from the board: the client core's methods. */
export type BoardActions = Pick<WarClient, 'signIn' | 'signOut' | 'forgetKey' | 'toggleCall'>;

const RUNG_LABELS: Record<RungName, string> = {
  eventsource: 'SSE',
  'gm-stream': 'GM stream',
  'long-poll': 'long-poll',
  poll: 'polling',
};

/** The war board drawn into the page's static HTML (src/server/clients/dashboard-page.ts holds its ids). */
export class Board implements WarView {
  readonly #rows = new Map<number, HTMLTableRowElement>();
  readonly #tbody = (byId('targets') as HTMLTableElement).tBodies[0];

  constructor(actions: BoardActions) {
    byId('signin-form').addEventListener('submit', (e) => {
      e.preventDefault();
      actions.signIn(byId<HTMLInputElement>('apikey').value);
    });
    byId('signout').addEventListener('click', () => actions.signOut());
    byId('forget').addEventListener('click', () => actions.forgetKey());
    this.#tbody.addEventListener('click', (e) => {
      const btn = (e.target as HTMLElement).closest('button[data-op]') as HTMLButtonElement | null;
      if (btn) actions.toggleCall(Number(btn.dataset.targetId), btn.dataset.op as 'call' | 'release');
    });
  }

  error(text: string): void {
    this.#alert(text, 'alert');
  }

  info(text: string): void {
    this.#alert(text, 'alert info');
  }

  clearMessage(): void {
    byId('alert').textContent = '';
  }

  rung(name: RungName | null, state: RungState, note?: string): void {
    const t = byId('transport');
    t.dataset.state = state;
    t.textContent = name ? `${RUNG_LABELS[name]} · ${state}` : 'offline';
    t.title = note ? `${name}: ${note}` : 'Realtime transport in use';
  }

  signedIn(who: string | undefined): void {
    byId<HTMLInputElement>('apikey').value = '';
    this.#show(who ?? 'signed in');
  }

  signedOut(): void {
    this.#show(null);
    byId('war').textContent = 'Not signed in';
    byId('score').textContent = '';
    this.rung(null, 'down');
    byId('apikey').focus();
  }

  render(state: WarState): void {
    const now = Date.now();
    const war = state.war;
    document.body.dataset.seq = String(state.seq);
    document.body.dataset.snapshots = String(state.snapshots);
    if (!war) {
      byId('war').textContent = state.loaded ? 'No ranked war right now' : 'Loading…';
      byId('score').textContent = '';
    } else {
      const ours = state.scores[String(war.factionId)] ?? 0;
      const theirs = state.scores[String(war.enemy.id)] ?? 0;
      byId('war').textContent = `${war.active ? 'Ranked war' : 'Ended war'} vs ${war.enemy.name}`;
      byId('score').textContent = `${ours} : ${theirs}${war.target ? ` (target ${war.target})` : ''}`;
    }
    this.#renderCounts(state, now);
    this.#renderSide(state, now);
    const seen = new Set<number>();
    for (const r of state.rows(now)) {
      seen.add(r.target.id);
      const tr = this.#row(r.target.id);
      this.#fill(tr, r, state, now);
      this.#tbody.append(tr); // re-appending keeps the order of `rows`
    }
    for (const [id, tr] of this.#rows) {
      if (!seen.has(id)) {
        tr.remove();
        this.#rows.delete(id);
      }
    }
  }

  /** Updates the countdowns only (every second). */
  tick(state: WarState): void {
    if (!state.loaded) return;
    const now = Date.now();
    for (const r of state.rows(now)) {
      const tr = this.#rows.get(r.target.id);
      if (tr) tr.cells[2].textContent = statusText(r);
    }
    this.#renderSide(state, now);
  }

  #alert(text: string, className: string): void {
    const a = byId('alert');
    a.className = className;
    a.textContent = text;
  }

  #show(who: string | null): void {
    byId('signin').hidden = !!who;
    byId('board').hidden = !who;
    byId('me').hidden = !who;
    byId('who').textContent = who ?? '';
  }

  #row(id: number): HTMLTableRowElement {
    let tr = this.#rows.get(id);
    if (tr) return tr;
    tr = el('tr', { 'data-target-id': String(id) });
    const name = el('td', { class: 'name' });
    name.append(el('a', { target: '_blank', rel: 'noopener' }));
    const actions = el('td', { class: 'actions' });
    actions.append(
      el('a', { class: 'attack', target: '_blank', rel: 'noopener' }, 'Attack'),
      el('button', { type: 'button', 'data-target-id': String(id) }),
    );
    tr.append(
      name,
      el('td', { class: 'lv' }),
      el('td', { class: 'status' }),
      el('td', { class: 'last' }),
      el('td', { class: 'caller' }),
      actions,
    );
    this.#rows.set(id, tr);
    return tr;
  }

  #fill(tr: HTMLTableRowElement, r: Row, state: WarState, now: number): void {
    const t = r.target;
    const mine = r.call?.callerId === state.me?.id;
    tr.className = rowClass(r) + (mine ? ' mine' : '');
    const cells = tr.cells;
    const link = cells[0].firstChild as HTMLAnchorElement;
    link.href = t.links.profile;
    link.textContent = `${t.name} [${t.id}]`;
    cells[1].textContent = String(t.level);
    cells[2].textContent = statusText(r);
    cells[2].title = [t.status.description, t.status.details].filter(Boolean).join(' — ');
    const ts = t.lastAction.timestamp;
    cells[3].textContent = `${t.lastAction.status ?? '?'}${ts ? ` · ${formatAgo(state.serverNow(now) - ts)}` : ''}`;
    cells[4].textContent = r.call ? (mine ? 'you' : r.call.callerName) : '';
    const attack = cells[5].querySelector('a') as HTMLAnchorElement;
    attack.href = t.links.attack;
    attack.setAttribute('aria-label', `Attack ${t.name}`);
    const btn = cells[5].querySelector('button') as HTMLButtonElement;
    const op = mine ? 'release' : 'call';
    btn.dataset.op = op;
    btn.className = op;
    btn.textContent = mine ? 'Release' : r.call ? 'Called' : 'Call';
    btn.setAttribute('aria-label', `${mine ? 'Release' : 'Call'} ${t.name}`);
    btn.disabled = r.pending || (!!r.call && !mine);
  }

  #renderCounts(state: WarState, now: number): void {
    const c = state.counts(now);
    const items: [string, number][] = [
      ['Callable', c.callable],
      ['Called', c.called],
      ['Okay', c.okay],
      ['Hospital', c.hospital],
      ['Traveling', c.traveling],
      ['Jail', c.jail],
      ['Other', c.other],
      ['Targets', c.total],
    ];
    const box = byId('counts');
    box.textContent = '';
    for (const [label, n] of items) {
      const card = el('div', { class: 'card', 'data-count': label.toLowerCase() });
      card.append(el('b', {}, String(n)), el('span', {}, label));
      box.append(card);
    }
  }

  #renderSide(state: WarState, now: number): void {
    const next = byId('next');
    next.textContent = '';
    const out = state.nextOut(5, now);
    for (const r of out)
      next.append(el('li', { 'data-target-id': String(r.target.id) }, `${r.target.name} — ${formatCountdown(r.remaining ?? 0)}`));
    if (!out.length) next.append(el('li', { class: 'none' }, 'Nobody in hospital'));
    const calls = byId('calls');
    calls.textContent = '';
    const list = state.openCalls().sort((a, b) => a.at - b.at);
    for (const c of list) {
      const left = c.expiresAt - state.serverNow(now);
      calls.append(
        el('li', { 'data-target-id': String(c.targetId) }, `${c.callerName} → ${c.targetName} (expires in ${formatCountdown(left)})`),
      );
    }
    if (!list.length) calls.append(el('li', { class: 'none' }, 'No calls'));
  }
}
