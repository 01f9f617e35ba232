import { CREATE_KEY_URL, KEY_ACCESS_LEVEL, TERMS } from '../../protocol/terms.js';
import type { RungName } from '../../protocol/userscript-config.js';
import { el } from '../core/dom.js';
import { formatCountdown } from '../core/duration-text.js';
import type { RungState } from '../core/ladder.js';
import { rowClass, statusText, type Row } from '../core/target-row.js';
import type { WarClient, WarView } from '../core/war-client.js';
import type { Store } from '../core/storage.js';
import type { WarState } from '../core/war-state.js';

/** Where the panel keeps its collapsed state and position across pages. */
const LAYOUT_KEY = 'torncat.panel';

/** The panel's place: collapsed or not, and its offsets from the viewport's bottom-right corner in px. */
export interface PanelLayout {
  collapsed: boolean;
  right: number;
  bottom: number;
}

const DEFAULT_LAYOUT: PanelLayout = { collapsed: false, right: 8, bottom: 8 };

/** The stored layout, or the default for anything missing or malformed. */
function readLayout(store: Store): PanelLayout {
  try {
    const v = JSON.parse(store.get(LAYOUT_KEY) ?? 'null') as Partial<PanelLayout> | null;
    const px = (n: unknown, d: number) => (typeof n === 'number' && Number.isFinite(n) && n >= 0 ? Math.round(n) : d);
    return { collapsed: v?.collapsed === true, right: px(v?.right, 8), bottom: px(v?.bottom, 8) };
  } catch {
    return { ...DEFAULT_LAYOUT };
  }
}

/** What the member can do from the panel: the client core's methods. */
export type PanelActions = Pick<WarClient, 'signIn' | 'signOut' | 'forgetKey' | 'toggleCall' | 'chooseRung'>;

const RUNG_LABELS: Record<RungName, string> = {
  eventsource: 'EventSource',
  'gm-stream': 'GM stream',
  'long-poll': 'long-poll',
  poll: 'polling',
};

const CSS = `
:host { all: initial; }
.tc { position: fixed; right: var(--tc-right, 8px); bottom: var(--tc-bottom, 8px); z-index: 2147483000; width: min(400px, calc(100vw - 16px));
  max-height: min(70vh, 640px); display: flex; flex-direction: column; background: #1c1f24; color: #e8e8e8;
  font: 13px/1.35 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; border: 1px solid #3a3f47;
  border-radius: 8px; box-shadow: 0 6px 24px rgba(0,0,0,.45); overflow: hidden; }
header { display: flex; align-items: center; gap: 8px; padding: 6px 8px; background: #262a31; border-bottom: 1px solid #3a3f47; cursor: move; touch-action: none; user-select: none; }
header button { cursor: pointer; }
/* Collapsed, the panel is its header only: a small bar in a corner, out of the way of Torn's buttons. */
.tc.collapsed { width: auto; max-width: calc(100vw - 16px); }
.tc.collapsed header { border-bottom: 0; }
.tc.collapsed > :not(header) { display: none !important; }
button.pda { background: #1f5130; border-color: #2e7a48; }
header strong { font-size: 14px; }
.rung { font-size: 11px; padding: 1px 6px; border-radius: 10px; background: #3a3f47; white-space: nowrap; }
.rung[data-state="live"] { background: #1f5130; color: #bff3cd; }
.rung[data-state="down"] { background: #5a2a2a; color: #ffd2d2; }
.score { margin-left: auto; font-variant-numeric: tabular-nums; white-space: nowrap; }
button { font: inherit; color: inherit; background: #353b44; border: 1px solid #4a515c; border-radius: 5px; padding: 3px 8px; cursor: pointer; min-height: 28px; }
button:hover { background: #414852; }
button:focus-visible, input:focus-visible, select:focus-visible, a:focus-visible { outline: 2px solid #6cb6ff; outline-offset: 1px; }
button[disabled] { opacity: .55; cursor: default; }
button.call { background: #24507a; border-color: #2f6aa3; }
button.release { background: #6b3a1f; border-color: #8c4d2a; }
.icon { padding: 3px 7px; }
.msg { padding: 6px 8px; background: #4a2323; color: #ffd9d9; border-bottom: 1px solid #6b3030; overflow-wrap: anywhere; }
.msg.info { background: #233a4a; color: #d6ecff; border-color: #305a78; }
.msg:empty { display: none; }
form { padding: 8px; display: grid; gap: 6px; border-bottom: 1px solid #3a3f47; background: #20242a; flex: none; }
[hidden] { display: none !important; }
/* Signing in, the form has the panel to itself: the terms and the key field fit without scrolling on most screens. */
.tc.out form:not([hidden]) ~ .body { display: none; }
.tc.out { max-height: calc(100vh - 16px); }
.tc.out form { flex: 0 1 auto; min-height: 0; overflow-y: auto; }
.signin, .account { display: grid; gap: 6px; }
a { color: #8cc8ff; }
/* Torn's five-column terms table, one column under another: the panel is too narrow for five side by side. */
table.terms { border-collapse: collapse; font-size: 11px; color: #b8bec8; }
table.terms caption { text-align: left; font-weight: 600; font-size: 12px; color: #e8e8e8; padding-bottom: 4px; }
table.terms thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); }
table.terms tbody, table.terms tr, table.terms td { display: block; }
table.terms td { padding: 3px 0; border-top: 1px solid #30353c; line-height: 1.3; }
table.terms td::before { content: attr(data-label); display: block; color: #6cb6ff; font-weight: 600; }
table.terms td b { display: block; color: #e8e8e8; font-size: 12px; }
label { display: grid; gap: 2px; font-size: 12px; color: #b8bec8; }
input, select { font: inherit; color: #e8e8e8; background: #14171b; border: 1px solid #4a515c; border-radius: 5px; padding: 4px 6px; min-height: 28px; }
.row { display: flex; gap: 6px; align-items: center; flex-wrap: wrap; }
.small { font-size: 11px; color: #9aa3ae; overflow-wrap: anywhere; }
.body { overflow: auto; }
.counts { padding: 6px 8px; font-size: 12px; color: #b8bec8; border-bottom: 1px solid #30353c; }
ul { list-style: none; margin: 0; padding: 0; }
li { display: grid; grid-template-columns: 1fr auto auto; gap: 2px 8px; align-items: center; padding: 5px 8px; border-bottom: 1px solid #2b3037; }
li.okay { border-left: 3px solid #3fb950; }
li.hospital { border-left: 3px solid #f85149; }
li.away { border-left: 3px solid #d29922; }
li.other { border-left: 3px solid #6e7681; }
li.mine { background: #1f3326; }
.name a { color: #8cc8ff; text-decoration: none; font-weight: 600; }
.name a:hover { text-decoration: underline; }
.lvl { color: #9aa3ae; font-size: 11px; }
.status { font-variant-numeric: tabular-nums; white-space: nowrap; text-align: right; }
.caller { grid-column: 1 / 3; font-size: 11px; color: #f0c674; }
.caller:empty { display: none; }
li button { grid-row: 1 / span 2; grid-column: 3; }
.empty { padding: 10px 8px; color: #9aa3ae; }
`;

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
  readonly #form: HTMLFormElement;
  readonly #signin: HTMLElement;
  readonly #account: HTMLElement;
  readonly #who: HTMLElement;
  readonly #body: HTMLElement;
  readonly #counts: HTMLElement;
  readonly #list: HTMLUListElement;
  readonly #rows = new Map<number, HTMLLIElement>();
  #signedIn = false;
  readonly #store: Store | undefined;
  #layout: PanelLayout;
  /** A page that shows the calls in place (Torn's war list) keeps the panel to its header… */
  #compact = false;
  /** …unless the member opened it there. */
  #openedHere = false;
  #dragging = false;

  /**
   * `store` keeps the collapsed state and position across pages; `pdaKey` is the key TornPDA wrote
   * into the script, offered as a one-tap sign-in under the terms.
   */
  constructor(
    actions: PanelActions,
    info: { server: string; build: string; version: string; rungs: readonly RungName[]; forced: RungName | null },
    options: { store?: Store; pdaKey?: string | null } = {},
  ) {
    this.#store = options.store;
    this.#layout = options.store ? readLayout(options.store) : { ...DEFAULT_LAYOUT };
    this.host = el('div', { id: 'torncat-panel' });
    this.#root = this.host.attachShadow({ mode: 'open' });
    // A constructed stylesheet is not subject to the page's CSP (torn.com's may forbid inline <style>).
    let style: HTMLStyleElement | null = null;
    try {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS);
      this.#root.adoptedStyleSheets = [sheet];
    } catch {
      style = el('style', {}, CSS);
    }
    const box = el('section', { class: 'tc', 'aria-label': 'TornCat war caller' });
    this.#box = box;
    const header = el('header');
    header.append(el('strong', {}, 'TornCat'));
    this.#rung = el('span', { class: 'rung', 'data-state': 'down', role: 'status', title: 'Realtime transport in use' }, 'offline');
    this.#score = el('span', { class: 'score', 'aria-label': 'War score' });
    const settingsBtn = el('button', { class: 'icon', type: 'button', 'aria-label': 'Settings', 'aria-expanded': 'false' }, '⚙');
    const toggleBtn = el('button', { class: 'icon', type: 'button', 'aria-label': 'Collapse panel', 'aria-expanded': 'true' }, '–');
    header.append(this.#rung, this.#score, settingsBtn, toggleBtn);
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
    const rungLabel = el('label', {}, 'Transport');
    const rungSelect = el('select', { name: 'rung' });
    rungSelect.append(el('option', { value: '' }, 'Automatic (best that works)'));
    for (const r of info.rungs) rungSelect.append(el('option', { value: r }, RUNG_LABELS[r]));
    rungSelect.value = info.forced ?? '';
    if (info.rungs.length < 2) rungSelect.disabled = true;
    rungLabel.append(rungSelect);
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
      this.#signin.append(pdaBtn, el('p', { class: 'small' }, 'Or enter a key yourself:'));
    }
    this.#signin.append(keyLabel, keyRow);
    this.#account = el('div', { class: 'account' });
    const accountRow = el('div', { class: 'row' });
    accountRow.append(signOutBtn, forgetBtn);
    this.#account.append(this.#who, accountRow);
    this.#form.append(
      this.#signin,
      this.#account,
      rungLabel,
      el('p', { class: 'small' }, `Server ${info.server} · ${info.build} build ${info.version}`),
    );
    this.#form.hidden = true;

    this.#body = el('div', { class: 'body' });
    this.#counts = el('div', { class: 'counts', 'aria-live': 'polite' });
    this.#list = el('ul', { class: 'targets', 'aria-label': 'Targets' });
    this.#body.append(this.#counts, this.#list);
    box.append(header, this.#msg, this.#form, this.#body);
    if (style) this.#root.append(style);
    this.#root.append(box);

    settingsBtn.addEventListener('click', () => this.showSettings(this.#form.hidden));
    this.#toggleBtn = toggleBtn;
    toggleBtn.addEventListener('click', () => this.collapse(!this.collapsed));
    this.#drag(header);
    this.#applyLayout();
    this.#form.addEventListener('submit', (e) => {
      e.preventDefault();
      if (actions.signIn(keyInput.value)) keyInput.value = '';
    });
    signOutBtn.addEventListener('click', () => actions.signOut());
    forgetBtn.addEventListener('click', () => actions.forgetKey());
    rungSelect.addEventListener('change', () => actions.chooseRung((rungSelect.value || null) as RungName | null));
    this.#list.addEventListener('click', (e) => {
      const btn = (e.target as HTMLElement).closest('button[data-op]');
      if (!btn) return;
      const id = Number(btn.getAttribute('data-target-id'));
      actions.toggleCall(id, btn.getAttribute('data-op') as 'call' | 'release');
    });
    this.#settingsBtn = settingsBtn;
  }

  readonly #settingsBtn: HTMLButtonElement;
  readonly #toggleBtn: HTMLButtonElement;

  mount(): void {
    if (this.host.isConnected) return;
    document.body.append(this.host);
    this.#applyLayout();
    window.addEventListener('resize', () => this.#applyLayout());
  }

  /** Whether the panel shows its header only. */
  get collapsed(): boolean {
    return this.#layout.collapsed || (this.#compact && !this.#openedHere);
  }

  /** Collapses the panel to its header (or opens it), and remembers that for the next page. */
  collapse(collapsed: boolean): void {
    this.#layout.collapsed = collapsed;
    this.#openedHere = !collapsed;
    this.#applyLayout();
    this.#saveLayout();
  }

  /** Keeps the panel to its header on this page (not remembered): the page shows the calls itself. */
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
    const { right, bottom } = this.#layout;
    const collapsed = this.collapsed;
    this.#box.classList.toggle('collapsed', collapsed);
    this.host.setAttribute('data-collapsed', String(collapsed));
    this.#toggleBtn.textContent = collapsed ? '+' : '–';
    this.#toggleBtn.setAttribute('aria-expanded', String(!collapsed));
    this.#toggleBtn.setAttribute('aria-label', collapsed ? 'Expand panel' : 'Collapse panel');
    // Kept wholly on screen whatever the window's size now (its size known once mounted).
    const maxRight = Math.max(0, window.innerWidth - Math.max(this.#box.offsetWidth, 120));
    const maxBottom = Math.max(0, window.innerHeight - Math.max(this.#box.offsetHeight, 40));
    this.#box.style.setProperty('--tc-right', `${Math.min(right, maxRight)}px`);
    this.#box.style.setProperty('--tc-bottom', `${Math.min(bottom, maxBottom)}px`);
    // While dragging, the place follows the pointer only as far as the screen's edge.
    if (this.#dragging) {
      this.#layout.right = Math.min(right, maxRight);
      this.#layout.bottom = Math.min(bottom, maxBottom);
    }
  }

  #saveLayout(): void {
    this.#store?.set(LAYOUT_KEY, JSON.stringify(this.#layout));
  }

  /** Moving the panel by its header (mouse or finger); the place is kept once let go. */
  #drag(header: HTMLElement): void {
    let start: { x: number; y: number; right: number; bottom: number } | null = null;
    header.addEventListener('pointerdown', (e) => {
      if ((e.target as HTMLElement).closest('button') || e.button !== 0) return;
      start = { x: e.clientX, y: e.clientY, right: this.#layout.right, bottom: this.#layout.bottom };
      header.setPointerCapture(e.pointerId);
      this.#dragging = true;
    });
    header.addEventListener('pointermove', (e) => {
      if (!start) return;
      this.#layout.right = Math.max(0, Math.round(start.right - (e.clientX - start.x)));
      this.#layout.bottom = Math.max(0, Math.round(start.bottom - (e.clientY - start.y)));
      this.#applyLayout();
    });
    const end = () => {
      if (!start) return;
      start = null;
      this.#dragging = false;
      this.#saveLayout();
    };
    header.addEventListener('pointerup', end);
    header.addEventListener('pointercancel', end);
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
  }

  info(text: string): void {
    this.#msg.className = 'msg info';
    this.#msg.textContent = text;
  }

  clearMessage(): void {
    this.#msg.textContent = '';
  }

  #setSignedIn(who: string | null): void {
    this.#signedIn = who !== null;
    this.#who.textContent = who ? `Signed in as ${who}` : '';
    this.#signin.hidden = !!who;
    this.#box.classList.toggle('out', !who);
    this.#account.hidden = !who;
    if (!who) {
      this.#list.textContent = '';
      this.#rows.clear();
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
    this.#rung.textContent = name
      ? `${RUNG_LABELS[name]}${state === 'live' ? ' · live' : state === 'connecting' ? ' …' : ' · down'}`
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
    const war = state.war;
    if (!war) {
      this.#score.textContent = '';
      this.#counts.textContent = state.loaded ? 'No ranked war right now.' : 'Loading…';
      this.#list.textContent = '';
      this.#rows.clear();
      return;
    }
    const ours = state.scores[String(war.factionId)] ?? 0;
    const theirs = state.scores[String(war.enemy.id)] ?? 0;
    this.#score.textContent = `${ours} : ${theirs}${war.target ? ` / ${war.target}` : ''}`;
    this.#score.title = `Us ${ours}, ${war.enemy.name} ${theirs}${war.target ? `, target ${war.target}` : ''}`;
    const c = state.counts(nowMs);
    const next = state.nextOut(1, nowMs)[0];
    this.#counts.textContent =
      `vs ${war.enemy.name} · callable ${c.callable} · called ${c.called} · hosp ${c.hospital} · away ${c.traveling}` +
      (next ? ` · next out ${next.target.name} in ${formatCountdown(next.remaining ?? 0)}` : '');
    const seen = new Set<number>();
    const rows = state.rows(nowMs);
    for (const r of rows) {
      seen.add(r.target.id);
      const li = this.#row(r.target.id);
      this.#fill(li, r, state.me?.id);
      this.#list.append(li); // re-appending keeps the order of `rows`
    }
    for (const [id, li] of this.#rows) {
      if (!seen.has(id)) {
        li.remove();
        this.#rows.delete(id);
      }
    }
    if (rows.length === 0) this.#counts.textContent += ' · no targets yet';
  }

  /** Updates the countdowns only (every second). */
  tick(state: WarState, nowMs: number = Date.now()): void {
    for (const r of state.rows(nowMs)) {
      const li = this.#rows.get(r.target.id);
      const s = li?.querySelector('.status');
      if (s) s.textContent = statusText(r);
    }
  }

  #row(id: number): HTMLLIElement {
    let li = this.#rows.get(id);
    if (li) return li;
    li = el('li', { 'data-target-id': String(id) });
    const name = el('span', { class: 'name' });
    const a = el('a', { target: '_blank', rel: 'noopener' });
    name.append(a, document.createTextNode(' '), el('span', { class: 'lvl' }));
    li.append(
      name,
      el('span', { class: 'status' }),
      el('button', { type: 'button', 'data-target-id': String(id) }),
      el('span', { class: 'caller' }),
    );
    this.#rows.set(id, li);
    return li;
  }

  #fill(li: HTMLLIElement, r: Row, myId: number | undefined): void {
    const t = r.target;
    const mine = r.call?.callerId === myId;
    li.className = rowClass(r) + (mine ? ' mine' : '');
    const a = li.querySelector('a') as HTMLAnchorElement;
    a.href = t.links.attack;
    a.textContent = t.name;
    a.title = `Attack ${t.name} [${t.id}]`;
    (li.querySelector('.lvl') as HTMLElement).textContent = `Lv ${t.level}`;
    (li.querySelector('.status') as HTMLElement).textContent = statusText(r);
    (li.querySelector('.caller') as HTMLElement).textContent = r.call ? `called by ${mine ? 'you' : r.call.callerName}` : '';
    const btn = li.querySelector('button') as HTMLButtonElement;
    const op = mine ? 'release' : 'call';
    btn.setAttribute('data-op', op);
    btn.className = op;
    btn.textContent = mine ? 'Release' : 'Call';
    btn.setAttribute('aria-label', `${mine ? 'Release' : 'Call'} ${t.name}`);
    btn.disabled = r.pending || (!!r.call && !mine);
  }
}
