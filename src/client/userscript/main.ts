/**
 * The userscript's body (bundled, then served with this server's settings by
 * src/server/browser-files/userscript-source.ts): the client core over the manager's Http and storage, drawn
 * as a panel on torn.com and inside Torn's own war, attack and profile pages.
 */
import { isRungName, type UserscriptConfig } from '../../protocol/userscript-config.js';
import { readAlertSettings } from '../core/alert-settings.js';
import { detectHttp } from '../core/http/detect-http.js';
import { ListChoiceSetting } from '../core/list-choice-controls.js';
import { isApiKey } from '../core/session.js';
import { detectStore } from '../core/storage.js';
import { WarClient } from '../core/war-client.js';
import { Alerts } from './alerts.js';
import { Notifier } from './notifier.js';
import { Panel } from './panel.js';
import { PageView } from './torn-pages/page-view.js';
import { TargetBar, targetPage } from './torn-pages/target-bar.js';
import { WarListDecorator } from './torn-pages/war-list.js';

declare const TORNCAT_CONFIG: UserscriptConfig;

/**
 * TornPDA replaces this placeholder in a script's text with the member's API key before running it
 * (its "###PDA-APIKEY###" substitution). Written once only: a second copy would be replaced too.
 * Anywhere else it stays as it is, which is no API key.
 */
const PDA_API_KEY = '###PDA-APIKEY###';

function start(cfg: UserscriptConfig): void {
  if (document.getElementById('torncat-panel')) return; // already running in this page
  const store = detectStore();
  const client = new WarClient({
    server: cfg.server,
    http: detectHttp(),
    store,
    rungs: cfg.rungs.filter(isRungName),
    describe: (a) => `${a.player.name} [${a.player.id}] of ${a.faction.name}`,
    cacheTtlMs: Math.min(cfg.syncIntervalMs, cfg.targetStatusRefreshIntervalMs),
    syncIntervalMs: cfg.syncIntervalMs,
    warCheckIntervalMs: cfg.warCheckIntervalMs,
  });
  const notifier = new Notifier();
  const alerts = new Alerts(notifier, readAlertSettings(store), store);
  // The member's sort and filters: one choice for the panel and Torn's war list on this page.
  const listChoice = new ListChoiceSetting(store);
  const panel = new Panel(
    client,
    {
      server: cfg.server,
      build: cfg.build,
      version: cfg.version,
      rungs: client.rungs,
      forced: client.forcedRung,
    },
    {
      store,
      pdaKey: isApiKey(PDA_API_KEY) ? PDA_API_KEY : null,
      alerts: { changed: (s) => alerts.update(s), test: () => alerts.test(), channel: notifier.channel },
      listChoice,
    },
  );
  const list = new WarListDecorator(client, listChoice);
  const page = targetPage(location);
  const bar = page
    ? new TargetBar(
        page,
        client,
        () => view.togglePanel(),
        () => panel.alertSettings.chainThresholdS,
      )
    : null;
  const view = new PageView(panel, list, bar, alerts);
  panel.mount();
  notifier.mount();
  list.start();
  bar?.start();
  client.start(view);
}

const cfg = TORNCAT_CONFIG;
if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', () => start(cfg), { once: true });
else start(cfg);
