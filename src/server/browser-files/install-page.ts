import { CREATE_KEY_URL, KEY_ACCESS_LEVEL } from '../../protocol/terms.js';
import { escapeHtml, termsTable } from './terms-table.js';
import { SCREENSHOTS } from './screenshots.js';
import { USERSCRIPT_FILES } from './userscript-source.js';

const CSS = `
:root { color-scheme: dark; --bg: #14171b; --panel: #1c1f24; --line: #30353c; --text: #e8e8e8; --muted: #9aa3ae; --accent: #6cb6ff; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--text); font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; }
a { color: var(--accent); }
main { max-width: 1000px; margin: 0 auto; padding: 16px 16px 40px; }
h1 { font-size: 22px; } h2 { font-size: 18px; margin-top: 28px; }
section.card { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px; margin: 12px 0; }
a.install { display: inline-block; padding: 8px 14px; border-radius: 6px; background: #24507a; color: #fff; text-decoration: none; font-weight: 600; }
code { background: #0f1215; padding: 1px 4px; border-radius: 4px; overflow-wrap: anywhere; }
nav { margin-bottom: 4px; }
figure { margin: 12px 0; } figure img { display: block; max-width: 100%; height: auto; border: 1px solid var(--line); border-radius: 6px; }
figcaption { color: var(--muted); font-size: 13px; margin-top: 4px; }
dt { font-weight: 600; margin-top: 8px; } dd { margin-left: 16px; color: var(--muted); }
table { border-collapse: collapse; width: 100%; table-layout: fixed; }
th, td { text-align: left; vertical-align: top; padding: 6px 8px; border: 1px solid var(--line); }
th small { display: block; color: var(--muted); font-weight: 400; font-size: 12px; }
td { color: var(--muted); font-size: 13px; } td b { display: block; color: var(--text); font-size: 14px; }
@media (max-width: 700px) {
  table, tbody, tr, td { display: block; width: 100%; }
  thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); }
  td::before { content: attr(data-label); display: block; color: var(--accent); font-size: 12px; font-weight: 600; }
}
`;

function figures(origin: string): string {
  const caption = {
    'torn-war-rows': "On the faction's war page: each enemy row of Torn's list shows who called the target, with Call and Release.",
    panel: 'Everywhere else on torn.com: the panel, with the score, the live transport and the targets (it folds into a tab at the screen’s edge).',
  };
  return (Object.keys(caption) as (keyof typeof caption)[])
    .map(
      (name) =>
        `<figure><img src="${origin}/install/${SCREENSHOTS[name].file}" alt="${escapeHtml(SCREENSHOTS[name].alt)}" loading="lazy"><figcaption>${escapeHtml(caption[name])}</figcaption></figure>`,
    )
    .join('\n');
}

/**
 * The TornPDA steps, as TornPDA handles userscripts (Manuito83/torn-pda: lib/widgets/settings/
 * userscripts_add_dialog.dart and lib/providers/userscripts_provider.dart, 2026-07-25/08-14): a script
 * loaded by URL ("Remote load/update") is checked for updates, a pasted one never is, and an update is
 * applied by hand; a script holding ###PDA-APIKEY### gets the key set for it ("Set API Key"), else
 * PDA's own (PDA asks for a Limited one); the "Script permissions" dialog lists the script's @grant lines.
 */
function pdaSteps(scriptUrl: string): string {
  return `<section class="card" id="tornpda">
  <h2>TornCat in TornPDA</h2>
  <ol>
    <li>In TornPDA: <i>Settings → Userscripts → +</i>, then <i>Remote load/update</i> (<i>Configure</i>). Enter
    <code>${scriptUrl}</code>, tap <i>Fetch</i>, then <i>Load</i>. Loaded by URL, TornPDA can check this server for
    updates; a pasted script never gets them.</li>
    <li>TornPDA shows <i>Script permissions</i>: the userscript functions the script declares (GM_xmlhttpRequest,
    GM_getValue, GM_setValue, GM_deleteValue, GM_notification, for other managers). Tap <i>Continue</i>. In TornPDA
    the script talks to this server through TornPDA's own handlers and shows alerts as TornPDA toasts and
    notifications.</li>
    <li>Tap <i>Set API Key</i> and enter a ${KEY_ACCESS_LEVEL} key made for TornCat
    (<a href="${escapeHtml(CREATE_KEY_URL)}" target="_blank" rel="noopener">create one</a>). Without it TornPDA gives
    the script its own key, a Limited one, and <i>Sign in with your PDA key</i> would store that Limited key on this
    server.</li>
    <li>Open torn.com in TornPDA: the TornCat panel shows the terms and <i>Sign in with your PDA key</i>.</li>
    <li>Updates: TornPDA marks the script when this server has a newer version; apply it yourself from
    <i>Settings → Userscripts</i> (the script, then <i>Update</i>). Nothing updates on its own.</li>
  </ol>
</section>`;
}

/** `GET /install`: the userscripts with one-click install links, the standalone EdgeFunctionCache, how to install, the rungs and the terms. No script. */
export function installPage(origin: string): string {
  const o = escapeHtml(origin);
  const realtime = `${o}/${USERSCRIPT_FILES.sse}`;
  const polling = `${o}/${USERSCRIPT_FILES.polling}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Install TornCat</title><style>${CSS}</style></head>
<body><main>
<nav><a href="${o}/">← The war board</a></nav>
<h1>Install the TornCat war caller</h1>
<p>The userscript brings the war board into torn.com: calls in Torn's own war list, a bar on the attack page, and a panel on every page. Pick one script. Your userscript manager opens its install screen when you follow the link; it checks this server for updates on its own.</p>
<section class="card">
  <h2>Realtime (recommended)</h2>
  <p><a class="install" href="${realtime}">Install torn-war-caller-sse.user.js</a></p>
  <p>Calls arrive live: it takes the best way the page and your manager allow (see <a href="#rungs">the rungs</a>).</p>
</section>
<section class="card">
  <h2>Polling</h2>
  <p><a class="install" href="${polling}">Install torn-war-caller.user.js</a></p>
  <p>Reads the war every few seconds through a client cache: for managers or networks where nothing else works.</p>
</section>
<section class="card">
  <h2>EdgeFunctionCache.js (for script authors)</h2>
  <p><a href="${o}/EdgeFunctionCache.js">${o}/EdgeFunctionCache.js</a>: the client cache the scripts use, standalone. Add
  <code>// @require ${o}/EdgeFunctionCache.js</code> to your script's header, then
  <code>const cache = new EdgeFunctionCache({ ttlMs: 5000 }); await cache.get('key', () =&gt; fetchSomething());</code></p>
</section>
<h2 id="looks">What it looks like</h2>
${figures(o)}
<h2>How to install</h2>
<dl>
  <dt>Tampermonkey (Chrome, Edge, Firefox, Safari)</dt>
  <dd>Install Tampermonkey, follow an install link above and press <i>Install</i>. When it asks whether the script may connect to <code>${escapeHtml(new URL(origin).hostname)}</code>, allow it (always). On Chrome, allow user scripts for the extension (Developer mode or “Allow User Scripts”).</dd>
  <dt>Violentmonkey</dt>
  <dd>Install Violentmonkey, follow an install link above and press <i>Confirm installation</i>.</dd>
  <dt>TornPDA</dt>
  <dd>See <a href="#tornpda">TornCat in TornPDA</a> below: load it by URL and give it a Public key of its own.</dd>
</dl>
<p>Then open torn.com: the TornCat panel asks for a ${KEY_ACCESS_LEVEL} API key (<a href="${escapeHtml(CREATE_KEY_URL)}" target="_blank" rel="noopener">create one for TornCat</a>).</p>
${pdaSteps(realtime)}
<h2 id="rungs">The rungs</h2>
<p>The realtime script keeps calls coming over the best of these, and shows which one in its panel. It starts live at once on long-poll (or on the rung that worked last time), tries the streams beside it, moves up as soon as one delivers, falls back at once when it drops, and climbs back when it works again. Nothing is lost when it switches.</p>
<dl>
  <dt>eventsource</dt><dd>The browser's own event stream. Fastest, but torn.com's Content-Security-Policy blocks it: where it does, the script remembers and does not try it again there.</dd>
  <dt>gm-stream</dt><dd>The event stream through your manager (Tampermonkey, Violentmonkey), which the page's policy does not bind. Calls show within a fraction of a second.</dd>
  <dt>long-poll</dt><dd>Asks the server, which answers as soon as something happens. Works over any manager, and over TornPDA; calls show within about a second.</dd>
  <dt>poll</dt><dd>Reads the whole war every few seconds: the last resort (and all the polling script does).</dd>
</dl>
<h2>Your key and your data</h2>
${termsTable()}
</main></body></html>
`;
}
