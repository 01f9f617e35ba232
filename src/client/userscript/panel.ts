/**
 * The war panel on torn.com: the war's score and transport, the chain, open assists, every target
 * with its buttons, and the settings (sign-in, transport, alerts). Collapsed, it is a tab on the
 * screen's edge (see panel-layout.ts).
 */
import { CREATE_KEY_URL, KEY_ACCESS_LEVEL, TERMS } from '../../protocol/terms.js';
import type { RungName } from '../../protocol/userscript-config.js';
import { el } from '../core/dom.js';
import { formatCountdown } from '../core/duration-text.js';
import type { RungState } from '../core/ladder.js';
import { rungLabel } from '../core/transports/transports-for.js';
import type { WarClient, WarView } from '../core/war-client.js';
import type { Store } from '../core/storage.js';
import type { WarState } from '../core/war-state.js';
import {
  ALERT_SETTING_MAX,
  DEFAULT_ALERT_SETTINGS,
  readAlertSettings,
  writeAlertSetting,
  type AlertSettings,
} from '../core/alert-settings.js';
import { enemyChainText } from '../core/enemy-chain-text.js';
import { ListChoiceControls, ListChoiceSetting } from '../core/list-choice-controls.js';
import { arrangeRows } from '../core/row-order.js';
import { AssistList } from './assist-list.js';
import { chainLine } from './chain-text.js';
import { paceWords } from '../core/pace-text.js';
import { dragPanel, dragTab, readLayout, saveLayout, type PanelLayout } from './panel-layout.js';
import type { NoticeChannel } from './notifier.js';
import { PANEL_CSS } from './panel-style.js';
import { TargetList } from './target-list.js';
import { syncNote } from '../../protocol/sync-status.js';

/** What the member can do from the panel: the client core's methods. */
export type PanelActions = Pick<WarClient, 'signIn' | 'signOut' | 'forgetKey' | 'toggleCall' | 'chooseRung' | 'sendOp'>;

/** Torn's terms table (src/protocol/terms.ts), as a table whose cells the CSS stacks. */
function termsTable(): HTMLTableElement {
  const table = el('table', { class: 'terms' });
  table.append(el('caption', {}, 'What TornCat does with your key and data (Torn’s API terms)'));
  const head = el('tr');
  const row = el('tr');
  for (const t of TERMS) {
    head.append(el('th', { scope: 'col', title: t.question }, t.title));
    const td = el('td', { 'data-label': t.title });
    td.append(el('b', {}, t.answer), document.createTextNode(t.detail));
    row.append(td);
  }
  const thead = el('thead');
  thead.append(head);
  const tbody = el('tbody');
  tbody.append(row);
  table.append(thead, tbody);
  return table;
}

/** The war panel injected into torn.com, in a shadow root so that the page's CSS and ours stay apart. */
export class Panel implements WarView {
  readonly host: HTMLElement;
  readonly #root: ShadowRoot;
  readonly #msg: HTMLElement;
  readonly #rung: HTMLElement;
  readonly #score: HTMLElement;
  readonly #box: HTMLElement;
  readonly #tab: HTMLButtonElement;
  readonly #tabChain: HTMLElement;
  readonly #chain: HTMLElement;
  /** Each side's pace, the lead and the target times, in one line. */
  readonly #pace: HTMLElement;
  readonly #enemyChain: HTMLElement;
  readonly #form: HTMLFormElement;
  readonly #signin: HTMLElement;
  readonly #account: HTMLElement;
  readonly #who: HTMLElement;
  readonly #alertNote: HTMLElement;
  readonly #body: HTMLElement;
  readonly #counts: HTMLElement;
  readonly #assists = new AssistList();
  readonly #targets: TargetList;
  readonly #listChoice: ListChoiceSetting;
  readonly #listControls: ListChoiceControls;
  /** The state last drawn: a new sort or filter redraws it at once. */
  #lastState: WarState | null = null;
  readonly #settingsBtn: HTMLButtonElement;
  readonly #toggleBtn: HTMLButtonElement;
  #signedIn = false;
  readonly #store: Store | undefined;
  #layout: PanelLayout;
  #alerts: AlertSettings;
  readonly #onAlertSettings: (s: AlertSettings) => void;
  /** A page that shows the calls in place (Torn's war list) keeps the panel to its tab... */
  #compact = false;
  /** ...unless the member opened it there. */
  #openedHere = false;
  #dragging = false;

  /**
   * `store` keeps the layout and alert settings across pages; `pdaKey` is the key TornPDA wrote into
   * the script, offered as a one-tap sign-in under the terms; `alerts` hears the alert settings when
   * the member changes them (and `testAlert` when they try one); `listChoice` is the member's sort
   * and filters, shared with Torn's war list on the same page.
   */
  constructor(
    actions: PanelActions,
    info: { server: string; build: string; version: string; rungs: readonly RungName[]; forced: RungName | null },
    options: {
      store?: Store;
      pdaKey?: string | null;
      alerts?: { changed(s: AlertSettings): void; test(): void; channel: NoticeChannel };
      listChoice?: ListChoiceSetting;
    } = {},
  ) {
    this.#store = options.store;
    this.#listChoice = options.listChoice ?? new ListChoiceSetting(options.store);
    this.#listControls = new ListChoiceControls(this.#listChoice);
    this.#listChoice.listen(() => {
      if (this.#lastState) this.render(this.#lastState);
    });
    this.#layout = readLayout(options.store);
    this.#alerts = options.store ? readAlertSettings(options.store) : { ...DEFAULT_ALERT_SETTINGS };
    this.#onAlertSettings = (s) => options.alerts?.changed(s);
    this.host = el('div', { id: 'torncat-panel' });
    this.#root = this.host.attachShadow({ mode: 'open' });
    // A constructed stylesheet is not subject to the page's CSP (torn.com's may forbid inline <style>).
    let style: HTMLStyleElement | null = null;
    try {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(PANEL_CSS);
      this.#root.adoptedStyleSheets = [sheet];
    } catch {
      style = el('style', {}, PANEL_CSS);
    }
    const box = el('section', { class: 'tc', 'aria-label': 'TornCat war caller' });
    this.#box = box;
    this.#tab = el('button', { type: 'button', class: 'tab', 'aria-label': 'Expand panel', 'aria-expanded': 'false', title: 'TornCat' });
    this.#tabChain = el('span', { class: 'tab-chain', 'aria-label': 'Chain' });
    this.#tab.append(el('span', { class: 'dot' }), el('span', {}, 'TC'), this.#tabChain);
    const header = el('header');
    header.append(el('strong', {}, 'TornCat'));
    this.#rung = el('span', { class: 'rung', 'data-state': 'down', role: 'status', title: 'Realtime transport in use' }, 'offline');
    this.#score = el('span', { class: 'score', 'aria-label': 'War score' });
    const settingsBtn = el('button', { class: 'icon', type: 'button', 'aria-label': 'Settings', 'aria-expanded': 'false' }, '⚙');
    const toggleBtn = el('button', { class: 'icon', type: 'button', 'aria-label': 'Collapse panel', 'aria-expanded': 'true' }, '–');
    header.append(this.#rung, this.#score, settingsBtn, toggleBtn);
    this.#chain = el('div', { class: 'chain', role: 'status', 'aria-label': 'Chain' });
    this.#chain.hidden = true;
    this.#pace = el('div', {
      class: 'pace',
      role: 'status',
      'aria-label': 'Score pace',
      title: 'Points per hour over the last 15 min · 60 min; target: when each side reaches it at its 60-minute pace',
    });
    this.#pace.hidden = true;
    this.#enemyChain = el('div', { class: 'enemy-chain', role: 'status', 'aria-label': 'Enemy chain' });
    this.#enemyChain.hidden = true;
    this.#msg = el('div', { class: 'msg', role: 'alert', 'aria-live': 'assertive' });

    this.#form = el('form', { class: 'settings', 'aria-label': 'TornCat settings' });
    const keyLabel = el('label', {}, `Torn API key (${KEY_ACCESS_LEVEL} access is enough)`);
    const keyInput = el('input', {
      name: 'apiKey',
      type: 'password',
      autocomplete: 'off',
      spellcheck: 'false',
      maxlength: '16',
      placeholder: '16 characters',
    });
    keyLabel.append(keyInput);
    const signInBtn = el('button', { type: 'submit' }, 'Sign in');
    const signOutBtn = el('button', { type: 'button', class: 'signout' }, 'Sign out');
    const forgetBtn = el(
      'button',
      { type: 'button', class: 'forget', title: 'Delete your API key from this server and end all your sessions' },
      'Forget my key',
    );
    this.#who = el('span', { class: 'small who' });
    const rungField = el('label', {}, 'Transport');
    const rungSelect = el('select', { name: 'rung' });
    rungSelect.append(el('option', { value: '' }, 'Automatic (best that works)'));
    for (const r of info.rungs) rungSelect.append(el('option', { value: r }, rungLabel(r)));
    rungSelect.value = info.forced ?? '';
    if (info.rungs.length < 2) rungSelect.disabled = true;
    rungField.append(rungSelect);
    const keyRow = el('div', { class: 'row' });
    const createKey = el(
      'a',
      { href: CREATE_KEY_URL, target: '_blank', rel: 'noopener', class: 'small' },
      `Create a ${KEY_ACCESS_LEVEL} key`,
    );
    keyRow.append(signInBtn, createKey);
    // The key is entered only while signed out, and the terms are shown above that field.
    this.#signin = el('div', { class: 'signin' });
    this.#signin.append(termsTable());
    const pdaKey = options.pdaKey;
    if (pdaKey) {
      // TornPDA put the member's key into the script: one tap, once the terms above are on screen.
      const pdaBtn = el('button', { type: 'button', class: 'pda' }, 'Sign in with your PDA key');
      pdaBtn.addEventListener('click', () => actions.signIn(pdaKey));
      // Honest about which key that is: PDA's own (Limited) unless the member set one for this script.
      const pdaNote = el(
        'p',
        { class: 'small pda-note' },
        "This sends the key TornPDA gives this script: TornPDA's own Limited key, unless you set a Public key for TornCat in TornPDA's userscript settings (Set API Key).",
      );
      this.#signin.append(pdaBtn, pdaNote, el('p', { class: 'small' }, 'Or enter a key yourself:'));
    }
    this.#signin.append(keyLabel, keyRow);
    this.#account = el('div', { class: 'account' });
    const accountRow = el('div', { class: 'row' });
    accountRow.append(signOutBtn, forgetBtn);
    this.#account.append(this.#who, accountRow);
    this.#alertNote = el('p', { class: 'small' });
    const alertFields = this.#alertFields(options.alerts);
    this.#form.append(
      this.#signin,
      this.#account,
      alertFields,
      rungField,
      el('p', { class: 'small' }, `Server ${info.server} · ${info.build} build ${info.version}`),
    );
    this.#form.hidden = true;

    this.#targets = new TargetList(actions);
    this.#body = el('div', { class: 'body' });
    this.#counts = el('div', { class: 'counts', 'aria-live': 'polite' });
    this.#body.append(this.#counts, this.#listControls.element, this.#assists.element, this.#targets.element);
    box.append(this.#tab, header, this.#chain, this.#enemyChain, this.#pace, this.#msg, this.#form, this.#body);
    if (style) this.#root.append(style);
    this.#root.append(box);

    this.#settingsBtn = settingsBtn;
    this.#toggleBtn = toggleBtn;
    settingsBtn.addEventListener('click', () => this.showSettings(this.#form.hidden));
    toggleBtn.addEventListener('click', () => this.collapse(true));
    const tabDrag = dragTab(
      this.#tab,
      this.#layout,
      () => this.#applyLayout(),
      () => saveLayout(this.#store, this.#layout),
    );
    this.#tab.addEventListener('click', () => {
      if (!tabDrag.wasDrag()) this.collapse(false);
    });
    dragPanel(
      header,
      this.#layout,
      () => {
        this.#dragging = true;
        this.#applyLayout();
      },
      () => {
        this.#dragging = false;
        saveLayout(this.#store, this.#layout);
      },
    );
    this.#applyLayout();
    this.#form.addEventListener('submit', (e) => {
      e.preventDefault();
      if (actions.signIn(keyInput.value)) keyInput.value = '';
    });
    signOutBtn.addEventListener('click', () => actions.signOut());
    forgetBtn.addEventListener('click', () => actions.forgetKey());
    rungSelect.addEventListener('change', () => actions.chooseRung((rungSelect.value || null) as RungName | null));
  }

  /** The alert settings (seconds before an exit, the chain's threshold) and a test alert. */
  #alertFields(alerts: { test(): void; channel: NoticeChannel } | undefined): HTMLElement {
    const set = el('fieldset', { class: 'alerts' });
    set.append(el('legend', {}, 'Alerts (watched targets, your calls, both chains)'));
    const field = (name: keyof AlertSettings, label: string) => {
      const input = el('input', { type: 'number', name, min: '1', max: String(ALERT_SETTING_MAX[name]), step: '1', inputmode: 'numeric' });
      input.value = String(this.#alerts[name]);
      const l = el('label', {}, label);
      l.append(input);
      input.addEventListener('change', () => {
        if (this.#store && writeAlertSetting(this.#store, name, input.value)) {
          this.#alerts = { ...this.#alerts, [name]: Number(input.value.trim()) };
          this.#onAlertSettings(this.alertSettings);
        } else {
          this.error(`${label}: a whole number from 1 to ${ALERT_SETTING_MAX[name]}`);
          input.value = String(this.#alerts[name]);
        }
      });
      return l;
    };
    const test = el('button', { type: 'button', class: 'test-alert' }, 'Test alert');
    this.#alertNote.textContent =
      alerts?.channel === 'pda'
        ? 'Alerts come as TornPDA toasts and notifications.'
        : alerts?.channel === 'system'
          ? 'Alerts come as notifications from your userscript manager.'
          : 'Alerts show at the top of the page with a beep (sound starts after your first tap on the page).';
    const row = el('div', { class: 'row' });
    row.append(test);
    set.append(
      field('exitLeadS', 'Seconds before a target leaves hospital'),
      field('chainThresholdS', 'Chain alert at this many seconds left'),
      field('enemyChainHits', 'Alert when their chain passes this many hits'),
      row,
      this.#alertNote,
    );
    test.addEventListener('click', () => alerts?.test());
    return set;
  }

  /** The member's alert settings as stored. */
  get alertSettings(): AlertSettings {
    return { ...this.#alerts };
  }

  mount(): void {
    if (this.host.isConnected) return;
    document.body.append(this.host);
    this.#applyLayout();
    window.addEventListener('resize', () => this.#applyLayout());
  }

  /** Whether the panel is collapsed to its tab. */
  get collapsed(): boolean {
    return this.#layout.collapsed || (this.#compact && !this.#openedHere);
  }

  /** Collapses the panel to its tab (or opens it), and remembers that for the next page. */
  collapse(collapsed: boolean): void {
    this.#layout.collapsed = collapsed;
    this.#openedHere = !collapsed;
    this.#applyLayout();
    saveLayout(this.#store, this.#layout);
  }

  /** Keeps the panel to its tab on this page (not remembered): the page shows the calls itself. */
  setCompact(compact: boolean): void {
    if (compact === this.#compact) return;
    this.#compact = compact;
    this.#applyLayout();
  }

  /** Hides the whole panel (a page that shows the call in place, such as the attack page), or shows it. */
  setHidden(hidden: boolean): void {
    this.host.hidden = hidden;
    this.#box.hidden = hidden;
  }

  #applyLayout(): void {
    const { right, bottom, tabSide, tabTop } = this.#layout;
    const collapsed = this.collapsed;
    this.#box.classList.toggle('collapsed', collapsed);
    this.#box.classList.toggle('right', tabSide === 'right');
    this.host.setAttribute('data-collapsed', String(collapsed));
    this.#tab.setAttribute('aria-expanded', String(!collapsed));
    this.#toggleBtn.setAttribute('aria-expanded', String(!collapsed));
    // Kept wholly on screen whatever the window's size now (its size known once mounted).
    const h = window.innerHeight;
    const tabH = Math.max(this.#tab.offsetHeight, 56);
    this.#box.style.setProperty('--tc-tab-top', `${Math.round(Math.min(Math.max(0, tabTop * h), Math.max(0, h - tabH)))}px`);
    if (collapsed) return;
    const maxRight = Math.max(0, window.innerWidth - Math.max(this.#box.offsetWidth, 120));
    const maxBottom = Math.max(0, h - Math.max(this.#box.offsetHeight, 40));
    this.#box.style.setProperty('--tc-right', `${Math.min(right, maxRight)}px`);
    this.#box.style.setProperty('--tc-bottom', `${Math.min(bottom, maxBottom)}px`);
    // While dragging, the place follows the pointer only as far as the screen's edge.
    if (this.#dragging) {
      this.#layout.right = Math.min(right, maxRight);
      this.#layout.bottom = Math.min(bottom, maxBottom);
    }
  }

  showSettings(open: boolean): void {
    // Opened for the settings (or to sign in) without changing what is remembered for the next page.
    if (open && this.collapsed) {
      this.#layout.collapsed = false;
      this.#openedHere = true;
      this.#applyLayout();
    }
    this.#form.hidden = !open;
    this.#settingsBtn.setAttribute('aria-expanded', String(open));
    // Without scrolling: signed out, the form opens on the terms, above the key field.
    if (open) (this.#form.querySelector(this.#signedIn ? 'button.signout' : 'input') as HTMLElement).focus({ preventScroll: true });
  }

  error(text: string): void {
    this.#msg.className = 'msg';
    this.#msg.textContent = text;
    this.#box.classList.add('msg-error');
  }

  info(text: string): void {
    this.#msg.className = 'msg info';
    this.#msg.textContent = text;
    this.#box.classList.remove('msg-error');
  }

  clearMessage(): void {
    this.#msg.textContent = '';
    this.#box.classList.remove('msg-error');
  }

  #setSignedIn(who: string | null): void {
    this.#signedIn = who !== null;
    this.#who.textContent = who ? `Signed in as ${who}` : '';
    this.#signin.hidden = !!who;
    this.#box.classList.toggle('out', !who);
    this.#account.hidden = !who;
    if (!who) {
      this.#targets.clear();
      this.#assists.render(null, 0);
      this.#showChain(null, 0);
      this.#lastState = null;
      this.#counts.textContent = 'Sign in with your Torn API key (⚙) to see the war.';
      this.#score.textContent = '';
      this.rung(null, 'down');
    }
  }

  signedIn(who: string | undefined): void {
    this.#setSignedIn(who ?? 'you');
    this.showSettings(false);
  }

  signedOut(): void {
    this.#setSignedIn(null);
    this.showSettings(true);
  }

  rung(name: RungName | null, state: RungState, note?: string): void {
    this.#rung.setAttribute('data-state', state);
    this.#box.setAttribute('data-state', state);
    this.#rung.textContent = name
      ? `${rungLabel(name)}${state === 'live' ? ' · live' : state === 'connecting' ? ' …' : ' · down'}`
      : 'offline';
    this.#rung.title = note ? `${name}: ${note}` : 'Realtime transport in use';
    if (name) this.host.setAttribute('data-rung', name);
    this.host.setAttribute('data-rung-state', state);
  }

  render(state: WarState, nowMs: number = Date.now()): void {
    this.host.setAttribute('data-seq', String(state.seq));
    this.host.setAttribute('data-snapshots', String(state.snapshots));
    this.host.setAttribute('data-events', String(state.eventsApplied));
    if (!this.#signedIn) return;
    this.#lastState = state;
    this.#targets.decideCanMark(state.me?.canMark);
    this.#showChain(state, nowMs);
    const war = state.war;
    this.#showPace(state, nowMs);
    // Until the first read lands the panel is empty for a reason; when Torn cannot be read, members hear why.
    const note = syncNote(state.sync);
    this.host.setAttribute('data-sync', state.sync?.problem?.code ?? (note ? 'first_read' : 'ok'));
    if (!war) {
      this.#score.textContent = '';
      this.#counts.textContent = note ?? (state.loaded ? 'No ranked war right now.' : 'Loading…');
      this.#targets.clear();
      this.#assists.render(null, nowMs);
      return;
    }
    const ours = state.scores[String(war.factionId)] ?? 0;
    const theirs = state.scores[String(war.enemy.id)] ?? 0;
    this.#score.textContent = `${ours} : ${theirs}${war.target ? ` / ${war.target}` : ''}`;
    this.#score.title = `Us ${ours}, ${war.enemy.name} ${theirs}${war.target ? `, target ${war.target}` : ''}`;
    const c = state.counts(nowMs);
    const next = state.nextOut(1, nowMs)[0];
    const rows = state.rows(nowMs);
    const { shown, hidden } = arrangeRows(rows, this.#listChoice.value, state.me?.id);
    this.#counts.textContent =
      (note ? `${note} · ` : '') +
      `vs ${war.enemy.name} · callable ${c.callable} · called ${c.called} · hosp ${c.hospital} · away ${c.traveling}` +
      (next ? ` · next out ${next.target.name} in ${formatCountdown(next.remaining ?? 0)}` : '') +
      (rows.length === 0 ? ' · no targets yet' : '');
    this.#assists.render(state, nowMs);
    this.#listControls.hiddenCount = hidden.length;
    this.#targets.render(shown, state, nowMs);
  }

  /** Once a second: the countdowns, the chain, the assists' time left, the early exits' highlight. */
  tick(state: WarState, nowMs: number = Date.now()): void {
    if (!this.#signedIn || !state.war) return;
    this.render(state, nowMs);
  }

  #showPace(state: WarState, nowMs: number): void {
    const pace = state.war?.phase === 'upcoming' ? null : state.pace(nowMs);
    const text = pace ? paceWords(pace, Math.floor(state.serverNow(nowMs))).line : '';
    this.#pace.hidden = !pace;
    if (this.#pace.textContent !== text) this.#pace.textContent = text;
  }

  #showChain(state: WarState | null, nowMs: number): void {
    const line = state ? chainLine(state, this.#alerts.chainThresholdS, nowMs) : null;
    this.#chain.hidden = !line;
    const text = line?.text ?? '';
    if (this.#chain.textContent !== text) this.#chain.textContent = text;
    this.#chain.setAttribute('data-urgent', String(!!line?.urgent));
    this.#box.classList.toggle('urgent', !!line?.urgent);
    if (this.#tabChain.textContent !== (line?.short ?? '')) this.#tabChain.textContent = line?.short ?? '';
    const theirs = state ? enemyChainText(state, nowMs) : null;
    this.#enemyChain.hidden = !theirs;
    const enemyText = theirs ? [theirs.count, theirs.timer, theirs.bonus].filter(Boolean).join(' · ') : '';
    if (this.#enemyChain.textContent !== enemyText) this.#enemyChain.textContent = enemyText;
    if (this.#enemyChain.title !== (theirs?.title ?? '')) this.#enemyChain.title = theirs?.title ?? '';
  }
}
