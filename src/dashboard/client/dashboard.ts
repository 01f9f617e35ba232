/**
 * The war board's script (bundled into the page served at GET /): sign-in with a Torn API key,
 * the snapshot of GET /api/war, then live events from EventSource /events resumed from its seq.
 */
import { ApiError, TornCatApi } from '../../userscript/api.js';
import { EventPump } from '../../userscript/event-pump.js';
import { onEventSourceEvents } from '../../userscript/event-source-events.js';
import { fetchHttp } from '../../userscript/http.js';
import { formatAgo, formatCountdown, rowClass, statusText, WarState, type Row } from '../../userscript/war-state.js';

const TOKEN_KEY = 'torncat.token';
const WHO_KEY = 'torncat.who';

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

function store(key: string, value: string | null): void {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch {
    /* private mode: the session lasts as long as the page */
  }
}
function stored(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

let token = stored(TOKEN_KEY);
const api = new TornCatApi(location.origin, fetchHttp(), () => token);
const state = new WarState();
let source: EventSource | null = null;
let reconnectTimer: ReturnType<typeof setTimeout> | undefined;
let failures = 0;
const busy = new Set<number>();

function alertMsg(text: string, kind: 'error' | 'info' = 'error'): void {
  const a = $('alert');
  a.className = kind === 'info' ? 'alert info' : 'alert';
  a.textContent = text;
}

function transport(stateName: 'connecting' | 'live' | 'down', text: string): void {
  const t = $('transport');
  t.dataset.state = stateName;
  t.textContent = text;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

// ---- rendering ----

const rows = new Map<number, HTMLTableRowElement>();

function row(id: number): HTMLTableRowElement {
  let tr = rows.get(id);
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
  rows.set(id, tr);
  return tr;
}

function fill(tr: HTMLTableRowElement, r: Row, now: number): void {
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
  btn.disabled = busy.has(t.id) || (!!r.call && !mine);
}

function renderCounts(now: number): void {
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
  const box = $('counts');
  box.textContent = '';
  for (const [label, n] of items) {
    const card = el('div', { class: 'card', 'data-count': label.toLowerCase() });
    card.append(el('b', {}, String(n)), el('span', {}, label));
    box.append(card);
  }
}

function renderSide(now: number): void {
  const next = $('next');
  next.textContent = '';
  const out = state.nextOut(5, now);
  for (const r of out)
    next.append(el('li', { 'data-target-id': String(r.target.id) }, `${r.target.name} — ${formatCountdown(r.remaining ?? 0)}`));
  if (!out.length) next.append(el('li', { class: 'none' }, 'Nobody in hospital'));
  const calls = $('calls');
  calls.textContent = '';
  const list = [...state.calls.values()].sort((a, b) => a.at - b.at);
  for (const c of list) {
    const left = c.expiresAt - state.serverNow(now);
    calls.append(
      el('li', { 'data-target-id': String(c.targetId) }, `${c.callerName} → ${c.targetName} (expires in ${formatCountdown(left)})`),
    );
  }
  if (!list.length) calls.append(el('li', { class: 'none' }, 'No calls'));
}

function render(): void {
  const now = Date.now();
  const war = state.war;
  document.body.dataset.seq = String(state.seq);
  document.body.dataset.snapshots = String(state.snapshots);
  if (!war) {
    $('war').textContent = state.loaded ? 'No ranked war right now' : 'Loading…';
    $('score').textContent = '';
  } else {
    const ours = state.scores[String(war.factionId)] ?? 0;
    const theirs = state.scores[String(war.enemy.id)] ?? 0;
    $('war').textContent = `${war.active ? 'Ranked war' : 'Ended war'} vs ${war.enemy.name}`;
    $('score').textContent = `${ours} : ${theirs}${war.target ? ` (target ${war.target})` : ''}`;
  }
  renderCounts(now);
  renderSide(now);
  const body = ($('targets') as HTMLTableElement).tBodies[0];
  const seen = new Set<number>();
  for (const r of state.rows(now)) {
    seen.add(r.target.id);
    const tr = row(r.target.id);
    fill(tr, r, now);
    body.append(tr);
  }
  for (const [id, tr] of rows) {
    if (!seen.has(id)) {
      tr.remove();
      rows.delete(id);
    }
  }
}

function tick(): void {
  if (!state.loaded) return;
  const now = Date.now();
  for (const r of state.rows(now)) {
    const tr = rows.get(r.target.id);
    if (tr) tr.cells[2].textContent = statusText(r);
  }
  renderSide(now);
}

// ---- data ----

const events = new EventPump({ api, state, render: () => render(), error: (m) => alertMsg(m) });
const loadSnapshot = () => events.loadSnapshot();

function closeStream(): void {
  source?.close();
  source = null;
  clearTimeout(reconnectTimer);
}

function openStream(): void {
  closeStream();
  if (!token) return;
  transport('connecting', 'SSE · connecting');
  const es = new EventSource(`/events?token=${encodeURIComponent(token)}&lastEventId=${state.seq}`);
  source = es;
  es.onopen = () => {
    failures = 0;
    transport('live', 'SSE · live');
  };
  onEventSourceEvents(es, (ev) => events.push(ev));
  es.onerror = () => {
    if (es !== source) return;
    if (es.readyState === EventSource.CONNECTING) {
      transport('connecting', 'SSE · reconnecting');
      return; // the browser retries by itself, sending Last-Event-ID
    }
    // Closed for good (refused, e.g. 401): find out why through the API, then start again.
    transport('down', 'SSE · down');
    closeStream();
    failures++;
    reconnectTimer = setTimeout(() => void connect(), Math.min(30_000, 1000 * 2 ** failures) * (0.5 + Math.random() / 2));
  };
}

async function connect(): Promise<void> {
  if (!token) return;
  try {
    await loadSnapshot();
    $('alert').textContent = '';
    render();
    openStream();
  } catch (e) {
    if (e instanceof ApiError && (e.status === 401 || e.status === 403)) return signedOut(e.message);
    alertMsg(`${(e as Error).message} — retrying`);
    transport('down', 'offline');
    failures++;
    clearTimeout(reconnectTimer);
    reconnectTimer = setTimeout(() => void connect(), Math.min(30_000, 1000 * 2 ** failures));
  }
}

function showSignedIn(who: string | null): void {
  $('signin').hidden = !!who;
  $('board').hidden = !who;
  $('me').hidden = !who;
  $('who').textContent = who ?? '';
  if (!who) {
    $('war').textContent = 'Not signed in';
    $('score').textContent = '';
    transport('down', 'offline');
    ($('apikey') as HTMLInputElement).focus();
  }
}

function signedOut(message?: string): void {
  token = null;
  store(TOKEN_KEY, null);
  store(WHO_KEY, null);
  closeStream();
  events.clear();
  showSignedIn(null);
  if (message) alertMsg(message);
}

async function toggleCall(targetId: number, op: 'call' | 'release'): Promise<void> {
  busy.add(targetId);
  render();
  try {
    const { results } = await api.calls([{ op, targetId }]);
    const r = results[0];
    if (r?.ok) {
      $('alert').textContent = '';
      if (r.call && r.call.state === 'called') state.calls.set(targetId, r.call);
      else if (op === 'release') state.calls.delete(targetId);
    } else if (r) {
      alertMsg(r.error.message);
    }
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) signedOut(e.message);
    else alertMsg(`Could not ${op}: ${(e as Error).message}`);
  } finally {
    busy.delete(targetId);
    render();
  }
}

// ---- wiring ----

$('signin-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const input = $('apikey') as HTMLInputElement;
  const key = input.value.trim();
  if (!/^[A-Za-z0-9]{16}$/.test(key)) return alertMsg('A Torn API key is 16 letters and digits');
  alertMsg('Signing in…', 'info');
  api.signIn(key).then(
    (a) => {
      input.value = '';
      token = a.token;
      store(TOKEN_KEY, a.token);
      const who = `${a.player.name} [${a.player.id}] · ${a.faction.name}`;
      store(WHO_KEY, who);
      $('alert').textContent = '';
      showSignedIn(who);
      void connect();
    },
    (err: Error) => alertMsg(`Sign-in failed: ${err.message}`),
  );
});

$('signout').addEventListener('click', () => {
  if (token) api.signOut().catch(() => {});
  signedOut();
  alertMsg('Signed out.', 'info');
});

($('targets') as HTMLTableElement).tBodies[0].addEventListener('click', (e) => {
  const btn = (e.target as HTMLElement).closest('button[data-op]') as HTMLButtonElement | null;
  if (btn) void toggleCall(Number(btn.dataset.targetId), btn.dataset.op as 'call' | 'release');
});

setInterval(tick, 1000);
if (token) {
  showSignedIn(stored(WHO_KEY) ?? 'signed in');
  void connect();
} else {
  showSignedIn(null);
}
