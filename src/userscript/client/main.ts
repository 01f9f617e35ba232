import { ApiError, TornCatApi } from '../api.js';
import { detectHttp } from '../http.js';
import { EventPump } from '../event-pump.js';
import { WarState } from '../war-state.js';
import { Ladder, RUNGS, type LadderHost, type RungName } from './ladder.js';
import { Panel } from './panel.js';
import { detectStore } from './storage.js';

/** Filled in by the server that serves the script (src/userscript/userscript-source.ts). */
interface TornCatConfig {
  server: string;
  build: 'sse' | 'polling';
  version: string;
  rungs: RungName[];
  syncIntervalMs: number;
  warCheckIntervalMs: number;
  targetStatusRefreshIntervalMs: number;
  ownFactionRefreshIntervalMs: number;
}
declare const TORNCAT_CONFIG: TornCatConfig;

const KEY = { token: 'torncat.token', who: 'torncat.who', rung: 'torncat.rung' };

function start(cfg: TornCatConfig): void {
  if (document.getElementById('torncat-panel')) return; // already running in this page
  const store = detectStore();
  let token = store.get(KEY.token);
  const http = detectHttp();
  const api = new TornCatApi(cfg.server, http, () => token, Math.min(cfg.syncIntervalMs, cfg.targetStatusRefreshIntervalMs));
  const state = new WarState();
  const rungs = cfg.rungs.filter((r) => (RUNGS as readonly string[]).includes(r));
  const storedRung = store.get(KEY.rung) as RungName | null;
  const forced = storedRung && rungs.includes(storedRung) ? storedRung : null;

  let renderQueued = false;
  const render = () => {
    if (renderQueued) return;
    renderQueued = true;
    queueMicrotask(() => {
      renderQueued = false;
      panel.render(state);
    });
  };

  const events = new EventPump({ api, state, render, error: (m) => panel.error(m) });
  const loadSnapshot = () => events.loadSnapshot();

  const host: LadderHost = {
    api,
    server: cfg.server,
    token: () => token,
    lastSeq: () => state.seq,
    deliver(delivered) {
      events.push(...delivered);
    },
    snapshot(s) {
      if (s.seq !== state.seq || !state.loaded) state.loadSnapshot(s);
      render();
    },
    atWar: () => !!state.war?.active,
    rung: (name, st, note) => panel.rung(name, st, note),
    authLost: (message) => signedOut(message),
    syncIntervalMs: cfg.syncIntervalMs,
    warCheckIntervalMs: cfg.warCheckIntervalMs,
  };
  const ladder = new Ladder(host, rungs);

  const signedOut = (message?: string) => {
    token = null;
    store.set(KEY.token, null);
    store.set(KEY.who, null);
    void ladder.stop();
    events.clear();
    panel.setSignedIn(null);
    panel.showSettings(true);
    if (message) panel.error(message);
  };

  const connect = async () => {
    for (let attempt = 1; token; attempt++) {
      try {
        await loadSnapshot();
        panel.clearMessage();
        render();
        ladder.start(store.get(KEY.rung) as RungName | null);
        return;
      } catch (e) {
        if (e instanceof ApiError && (e.status === 401 || e.status === 403)) return signedOut(e.message);
        panel.error(`${(e as Error).message} (retrying)`);
        await new Promise((r) => setTimeout(r, Math.min(30_000, 1000 * 2 ** attempt)));
      }
    }
  };

  const panel = new Panel(
    {
      signIn(apiKey) {
        panel.info('Signing in…');
        api.signIn(apiKey).then(
          (a) => {
            token = a.token;
            store.set(KEY.token, a.token);
            const who = `${a.player.name} [${a.player.id}] of ${a.faction.name}`;
            store.set(KEY.who, who);
            panel.setSignedIn(who);
            panel.showSettings(false);
            panel.clearMessage();
            void connect();
          },
          (e: Error) => panel.error(`Sign-in failed: ${e.message}`),
        );
      },
      signOut() {
        const old = token;
        if (old) api.signOut().catch(() => {}); // the token is forgotten here either way
        signedOut();
        panel.info('Signed out.');
      },
      toggleCall(targetId, op) {
        panel.busy(targetId, true);
        render();
        ladder
          .whilePaused(() => api.calls([{ op, targetId }]))
          .then(
            ({ results }) => {
              const r = results[0];
              if (r?.ok) {
                panel.clearMessage();
                if (r.call && r.call.state === 'called') state.calls.set(targetId, r.call);
                else if (op === 'release') state.calls.delete(targetId);
              } else if (r) {
                panel.error(r.error.message);
              }
            },
            (e: Error) => {
              if (e instanceof ApiError && e.status === 401) signedOut(e.message);
              else panel.error(`Could not ${op}: ${e.message}`);
            },
          )
          .finally(() => {
            panel.busy(targetId, false);
            render();
          });
      },
      chooseRung(rung) {
        store.set(KEY.rung, rung);
        ladder.force(rung);
      },
    },
    { server: cfg.server, build: cfg.build, version: cfg.version, rungs, forced },
  );

  panel.mount();
  setInterval(() => panel.tick(state), 1000);
  const who = store.get(KEY.who);
  if (token) {
    panel.setSignedIn(who ?? 'you');
    void connect();
  } else {
    panel.setSignedIn(null);
    panel.showSettings(true);
  }
}

function boot(): void {
  const cfg = TORNCAT_CONFIG;
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', () => start(cfg), { once: true });
  else start(cfg);
}

boot();
