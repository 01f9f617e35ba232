import type { CallOp } from '../../protocol/call.js';
import type { RungName } from '../../protocol/userscript-config.js';
import { byId, el } from '../core/dom.js';
import { formatCountdown } from '../core/duration-text.js';
import type { RungState } from '../core/ladder.js';
import { rungLabel } from '../core/transports/transports-for.js';
import { ListChoiceControls, ListChoiceSetting } from '../core/list-choice-controls.js';
import type { Store } from '../core/storage.js';
import type { WarClient, WarView } from '../core/war-client.js';
import type { WarState } from '../core/war-state.js';
import { AlertBox } from './alert-settings-box.js';
import { renderChain } from './chain-bar.js';
import { renderEnemyChain } from './enemy-chain-bar.js';
import { foldOnPhones } from './phone-fold.js';
import { renderReport, reportWarId } from './report-view.js';
import { renderWarScore } from './score-chart.js';
import { DiscordBox } from './discord-box.js';
import { TargetTable } from './target-table.js';
import { syncNote } from '../../protocol/sync-status.js';

/** What the member can do from the board: the client core's methods. */
export type BoardActions = Pick<WarClient, 'signIn' | 'signOut' | 'forgetKey' | 'sendOp' | 'report' | 'reportFile' | 'discord'>;

/** The war board drawn into the page's static HTML (src/server/browser-files/dashboard-page.ts holds its ids). */
export class Board implements WarView {
  readonly #table: TargetTable;
  readonly #alerts: AlertBox;
  readonly #actions: BoardActions;
  readonly #discord: DiscordBox;
  readonly #listControls: ListChoiceControls;
  #state: WarState | undefined;
  /** The war whose report is shown (or being read); null: the board. */
  #reportOf: number | null = null;

  constructor(actions: BoardActions, store: Store) {
    this.#actions = actions;
    // The member's sort and filters, kept in this browser.
    const choice = new ListChoiceSetting(store);
    this.#listControls = new ListChoiceControls(choice);
    byId('list-controls').append(this.#listControls.element);
    this.#table = new TargetTable((op) => this.#send(op), choice);
    choice.listen(() => {
      if (this.#state) this.#listControls.hiddenCount = this.#table.render(this.#state, Date.now());
    });
    this.#alerts = new AlertBox(store, (text) => this.error(text));
    this.#discord = new DiscordBox((a) => actions.discord(a));
    byId('signin-form').addEventListener('submit', (e) => {
      e.preventDefault();
      actions.signIn(byId<HTMLInputElement>('apikey').value);
    });
    byId('signout').addEventListener('click', () => actions.signOut());
    byId('forget').addEventListener('click', () => actions.forgetKey());
    byId('report-refresh').addEventListener('click', () => this.#loadReport(true));
    byId('report-csv').addEventListener('click', () => this.#download('csv'));
    byId('report-json').addEventListener('click', () => this.#download('json'));
    addEventListener('hashchange', () => this.#route());
    foldOnPhones(byId<HTMLDetailsElement>('intel'));
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
    t.textContent = name ? `${rungLabel(name)} · ${state}` : 'offline';
    t.title = note ? `${name}: ${note}` : 'Realtime transport in use';
  }

  signedIn(who: string | undefined): void {
    byId<HTMLInputElement>('apikey').value = '';
    this.#show(who ?? 'signed in');
  }

  signedOut(): void {
    this.#state = undefined;
    this.#show(null);
    byId('war').textContent = 'Not signed in';
    byId('score').textContent = '';
    this.rung(null, 'down');
    byId('apikey').focus();
  }

  render(state: WarState): void {
    this.#state = state;
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
    byId<HTMLAnchorElement>('report-link').hidden = !war;
    if (war) byId<HTMLAnchorElement>('report-link').href = `#report/${war.id}`;
    // Until the first read lands the board is empty for a reason; when Torn cannot be read, members hear why.
    const note = byId('sync-note');
    const text = syncNote(state.sync);
    note.hidden = !text;
    note.textContent = text ?? '';
    note.dataset.state = state.sync?.problem?.code ?? (text ? 'first_read' : 'ok');
    this.#renderCounts(state, now);
    this.#renderSide(state, now);
    renderChain(state, now);
    renderWarScore(state, now, true);
    renderEnemyChain(state, now);
    this.#listControls.hiddenCount = this.#table.render(state, now);
    this.#alerts.check(state);
    this.#discord.show(state.me?.id);
    this.#route();
  }

  /**
   * Every second: the countdowns, and the rows, whose order and filters move with time (a stay that
   * ends shows its target), and fires the alerts that are due.
   */
  tick(state: WarState): void {
    if (!state.loaded) return;
    const now = Date.now();
    this.#listControls.hiddenCount = this.#table.render(state, now);
    this.#renderSide(state, now);
    renderChain(state, now);
    renderWarScore(state, now, false);
    renderEnemyChain(state, now);
    this.#alerts.check(state);
  }

  #send(op: CallOp): void {
    void this.#actions.sendOp(op);
  }

  #alert(text: string, className: string): void {
    const a = byId('alert');
    a.className = className;
    a.textContent = text;
  }

  #show(who: string | null): void {
    byId('signin').hidden = !!who;
    byId('board').hidden = !who;
    byId('report').hidden = true;
    byId('me').hidden = !who;
    byId('who').textContent = who ?? '';
    if (!who) this.#reportOf = null;
  }

  /** The board, or the report page when the address says `#report[/id]`. */
  #route(): void {
    if (!this.#state?.loaded) return;
    const warId = reportWarId(location.hash, this.#state.war?.id);
    const showReport = warId !== undefined;
    byId('board').hidden = showReport;
    byId('report').hidden = !showReport;
    if (!showReport) {
      this.#reportOf = null;
      return;
    }
    if (warId === null) {
      byId('report-title').textContent = 'War report';
      byId('report-meta').textContent = 'Your faction has had no ranked war yet.';
      byId('report-table').textContent = '';
    } else if (warId !== this.#reportOf) {
      this.#reportOf = warId;
      this.#loadReport(false);
    }
  }

  #loadReport(again: boolean): void {
    const warId = this.#reportOf;
    if (warId === null) return;
    if (!again) {
      byId('report-title').textContent = `War report: ${warId}`;
      byId('report-meta').textContent = 'Reading the report…';
      byId('report-table').textContent = '';
    }
    this.#actions.report(warId).then(
      (r) => {
        if (this.#reportOf === warId) renderReport(r);
      },
      (e: Error) => {
        if (this.#reportOf === warId) byId('report-meta').textContent = `Could not read the report: ${e.message}`;
      },
    );
  }

  /**
   * Saves the shown report as a file. It is read like every call, token in the header, and handed to
   * the browser as a Blob: a plain link would need the token in its URL, and so in logs and history.
   */
  #download(format: 'csv' | 'json'): void {
    const warId = this.#reportOf;
    if (warId === null) return;
    this.#actions.reportFile(warId, format).then(
      (text) => {
        const url = URL.createObjectURL(new Blob([text], { type: format === 'csv' ? 'text/csv;charset=utf-8' : 'application/json' }));
        const a = el('a', { href: url, download: `torncat-war-${warId}-report.${format}`, hidden: '' });
        document.body.append(a);
        a.click();
        a.remove();
        setTimeout(() => URL.revokeObjectURL(url), 60_000);
      },
      (e: Error) => {
        if (this.#reportOf === warId) byId('report-meta').textContent = `Could not download the report: ${e.message}`;
      },
    );
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
      next.append(
        el(
          'li',
          { 'data-target-id': String(r.target.id), class: r.watched ? 'watched' : '' },
          `${r.target.name} — ${formatCountdown(r.remaining ?? 0)}${r.watched ? ' (watched)' : ''}`,
        ),
      );
    if (!out.length) next.append(el('li', { class: 'none' }, 'Nobody in hospital here'));

    const calls = byId('calls');
    calls.textContent = '';
    const list = state.openCalls().sort((a, b) => a.at - b.at);
    for (const c of list) {
      const left = c.expiresAt - state.serverNow(now);
      const tail = c.waitingForExit ? 'called for exit' : `expires in ${formatCountdown(left)}`;
      calls.append(el('li', { 'data-target-id': String(c.targetId) }, `${c.callerName} → ${c.targetName} (${tail})`));
    }
    if (!list.length) calls.append(el('li', { class: 'none' }, 'No calls'));

    const assists = byId('assists');
    assists.textContent = '';
    const open = state.openAssists(now);
    for (const a of open) {
      const li = el('li', { 'data-target-id': String(a.targetId) });
      const left = a.expiresAt - state.serverNow(now);
      li.append(document.createTextNode(`${a.requester.name} needs help on ${a.targetName} (${formatCountdown(left)} left) `));
      const attack = state.targets.get(a.targetId)?.links.attack;
      if (attack) li.append(el('a', { href: attack, target: '_blank', rel: 'noopener', 'aria-label': `Attack ${a.targetName}` }, 'Attack'));
      assists.append(li);
    }
    if (!open.length) assists.append(el('li', { class: 'none' }, 'Nobody asked for help'));
  }
}
