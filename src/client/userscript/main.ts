/**
 * The userscript's body (bundled, then served with this server's settings by
 * src/server/clients/userscript-source.ts): the client core over the manager's Http and storage, drawn
 * as a panel on torn.com.
 */
import { isRungName, type UserscriptConfig } from '../../protocol/userscript-config.js';
import { detectHttp } from '../core/http/detect-http.js';
import { detectStore } from '../core/storage.js';
import { WarClient } from '../core/war-client.js';
import { Panel } from './panel.js';

declare const TORNCAT_CONFIG: UserscriptConfig;

function start(cfg: UserscriptConfig): void {
  if (document.getElementById('torncat-panel')) return; // already running in this page
  const client = new WarClient({
    server: cfg.server,
    http: detectHttp(),
    store: detectStore(),
    rungs: cfg.rungs.filter(isRungName),
    describe: (a) => `${a.player.name} [${a.player.id}] of ${a.faction.name}`,
    cacheTtlMs: Math.min(cfg.syncIntervalMs, cfg.targetStatusRefreshIntervalMs),
    syncIntervalMs: cfg.syncIntervalMs,
    warCheckIntervalMs: cfg.warCheckIntervalMs,
  });
  const panel = new Panel(client, {
    server: cfg.server,
    build: cfg.build,
    version: cfg.version,
    rungs: client.rungs,
    forced: client.forcedRung,
  });
  panel.mount();
  client.start(panel);
}

const cfg = TORNCAT_CONFIG;
if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', () => start(cfg), { once: true });
else start(cfg);
