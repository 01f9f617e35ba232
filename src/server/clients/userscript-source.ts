import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Config } from '../../config.js';
import { clientBundle } from './client-bundle.js';
import type { RungName } from '../../protocol/userscript-config.js';

export type UserscriptBuild = 'sse' | 'polling';

export const USERSCRIPT_FILES: Record<UserscriptBuild, string> = {
  sse: 'torn-war-caller-sse.user.js',
  polling: 'torn-war-caller.user.js',
};

const LADDER: Record<UserscriptBuild, RungName[]> = {
  sse: ['eventsource', 'gm-stream', 'long-poll', 'poll'],
  polling: ['poll'],
};

const NAMES: Record<UserscriptBuild, { name: string; description: string }> = {
  sse: {
    name: 'TornCat war caller (realtime)',
    description: 'Ranked war calls and hospital timers, pushed live (EventSource, GM stream, long-poll, polling as a last resort)',
  },
  polling: {
    name: 'TornCat war caller (polling)',
    description: 'Ranked war calls and hospital timers, polled every few seconds through a client cache',
  },
};

let version: string | undefined;
function packageVersion(): string {
  if (!version) {
    try {
      version = (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
    } catch {
      version = '0.0.0';
    }
  }
  return version;
}

/**
 * What identifies a served script's content: the bundle and this server's settings. The origin is
 * left out: it is the script's own update URL, and a Host header must not mint new versions.
 */
function scriptDigest(body: string, settings: object): string {
  return createHash('sha256').update(body).update(JSON.stringify(settings)).digest('base64url');
}

/** Gives each distinct script digest its increasing serial (see ScriptVersions). */
export type SerialOf = (digest: string) => Promise<number>;

/**
 * Where the script runs: every torn.com page, which covers the war list (factions.php), profiles and
 * both forms of the attack page (page.php?sid=attack since April 2026, loader.php?sid=attack before).
 */
export const USERSCRIPT_MATCHES: readonly string[] = ['https://www.torn.com/*'];

/** The header a userscript manager reads: where it runs, what it may reach, where updates come from. */
function userscriptHeader(build: UserscriptBuild, origin: string, version: string): string {
  const url = `${origin}/${USERSCRIPT_FILES[build]}`;
  const host = new URL(origin).hostname.replace(/^\[|\]$/g, '');
  const lines: [string, string][] = [
    ['name', NAMES[build].name],
    ['namespace', `torncat:${new URL(origin).host}`],
    ['version', version],
    ['description', NAMES[build].description],
    ['author', 'TornCat'],
    ...USERSCRIPT_MATCHES.map((m): [string, string] => ['match', m]),
    ['connect', host],
    ['grant', 'GM_xmlhttpRequest'],
    ['grant', 'GM_getValue'],
    ['grant', 'GM_setValue'],
    ['grant', 'GM_deleteValue'],
    // Exit and chain alerts as system notifications; without it (TornPDA, a manager that refuses) they show on the page.
    ['grant', 'GM_notification'],
    ['run-at', 'document-end'],
    ['noframes', ''],
    ['downloadURL', url],
    ['updateURL', url],
  ];
  return ['// ==UserScript==', ...lines.map(([k, v]) => `// @${k.padEnd(12)} ${v}`.trimEnd()), '// ==/UserScript=='].join('\n');
}

/** The whole served script: header, this server's settings, and the bundled client. */
/**
 * The served script's @version is the package version then the serial of its content, so any
 * change to the bundle or the settings makes a higher version and managers fetch it on their next
 * update check (a hash would not always compare higher, and managers skip lower versions).
 */
export async function userscriptSource(build: UserscriptBuild, origin: string, config: Config, serialOf: SerialOf): Promise<string> {
  const base = {
    build,
    rungs: LADDER[build],
    syncIntervalMs: config.syncIntervalMs,
    warCheckIntervalMs: config.warCheckIntervalMs,
    targetStatusRefreshIntervalMs: config.targetStatusRefreshIntervalMs,
    ownFactionRefreshIntervalMs: config.ownFactionRefreshIntervalMs,
  };
  const body = await clientBundle('userscript');
  const version = `${packageVersion()}.${await serialOf(scriptDigest(body, base))}`;
  const settings = { server: origin, ...base, version };
  return `${userscriptHeader(build, origin, version)}

// Served by the TornCat server at ${origin}; its settings are below. Source: src/client/userscript/ (client core in src/client/core/).
(function () {
  'use strict';
  const TORNCAT_CONFIG = ${JSON.stringify(settings, null, 2).replace(/\n/g, '\n  ')};
${body}
})();
`;
}
