import { createHash } from 'node:crypto';
import { CREATE_KEY_URL, KEY_ACCESS_LEVEL } from '../../protocol/terms.js';
import { escapeHtml, termsTable } from './terms-table.js';

const CSS = `
:root { color-scheme: dark; --bg: #14171b; --panel: #1c1f24; --line: #30353c; --text: #e8e8e8; --muted: #9aa3ae;
  --ok: #3fb950; --hosp: #f85149; --away: #d29922; --accent: #6cb6ff; --mine: #1f3326; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--text); font: 15px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; }
a { color: var(--accent); }
header { display: flex; flex-wrap: wrap; align-items: center; gap: 8px 16px; padding: 10px 16px; background: var(--panel); border-bottom: 1px solid var(--line); }
header h1 { font-size: 18px; margin: 0; }
.war { font-weight: 600; }
.score { font-variant-numeric: tabular-nums; }
.badge { font-size: 12px; padding: 2px 8px; border-radius: 10px; background: #3a3f47; white-space: nowrap; }
.badge[data-state="live"] { background: #1f5130; color: #bff3cd; }
.badge[data-state="down"] { background: #5a2a2a; color: #ffd2d2; }
#install-link { font-size: 13px; white-space: nowrap; }
.me { margin-left: auto; display: flex; flex-wrap: wrap; gap: 8px; align-items: center; color: var(--muted); }
.me button { white-space: nowrap; }
main { padding: 12px 16px 32px; max-width: 1200px; margin: 0 auto; }
button { font: inherit; color: inherit; background: #353b44; border: 1px solid #4a515c; border-radius: 6px; padding: 4px 12px; cursor: pointer; min-height: 32px; }
button:hover { background: #414852; }
button[disabled] { opacity: .5; cursor: default; }
button.call { background: #24507a; border-color: #2f6aa3; }
button.release { background: #6b3a1f; border-color: #8c4d2a; }
:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }
input { font: inherit; color: var(--text); background: #0f1215; border: 1px solid #4a515c; border-radius: 6px; padding: 6px 8px; min-height: 36px; }
.alert { padding: 8px 12px; border-radius: 6px; background: #4a2323; color: #ffd9d9; border: 1px solid #6b3030; margin-bottom: 12px; overflow-wrap: anywhere; }
.alert.info { background: #233a4a; color: #d6ecff; border-color: #305a78; }
.alert:empty { display: none; }
#signin { max-width: 1100px; margin: 24px auto; background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 16px; }
#signin h2 { margin-top: 0; font-size: 18px; }
#signin form { display: flex; gap: 8px; flex-wrap: wrap; max-width: 480px; }
#signin label { display: block; flex: 1 1 100%; color: var(--muted); }
#signin input { flex: 1 1 200px; }
.hint { color: var(--muted); font-size: 13px; }
table.terms { margin-top: 12px; table-layout: fixed; background: var(--bg); }
table.terms caption { font-size: 15px; }
table.terms th { vertical-align: top; color: var(--text); font-size: 14px; }
table.terms th small { display: block; color: var(--muted); font-weight: 400; font-size: 12px; }
table.terms td { vertical-align: top; color: var(--muted); font-size: 13px; border-right: 1px solid var(--line); }
table.terms td:last-child { border-right: 0; }
table.terms td b { display: block; color: var(--text); font-size: 14px; margin-bottom: 4px; }
[hidden] { display: none !important; }
/* The targets first on a phone (see the media query), the rest in #intel, folded there. */
#board { display: flex; flex-direction: column; }
#intel > summary { display: none; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(110px, 1fr)); gap: 8px; margin-bottom: 12px; }
.card { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 8px 10px; }
.card b { display: block; font-size: 22px; font-variant-numeric: tabular-nums; }
.card span { color: var(--muted); font-size: 13px; }
.side { display: grid; grid-template-columns: repeat(auto-fit, minmax(260px, 1fr)); gap: 12px; margin-bottom: 12px; }
section.box { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 8px 12px; }
section.box h2 { font-size: 15px; margin: 4px 0 8px; }
section.box ol, section.box ul { margin: 0; padding-left: 20px; }
section.box li { margin: 2px 0; font-variant-numeric: tabular-nums; }
.none { color: var(--muted); }
table { width: 100%; border-collapse: collapse; background: var(--panel); border: 1px solid var(--line); border-radius: 8px; overflow: hidden; }
caption { text-align: left; font-weight: 600; padding: 8px 0; }
th, td { padding: 6px 10px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: middle; }
th { font-size: 13px; color: var(--muted); font-weight: 600; background: #20242a; }
td.status, td.lv { font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.okay td:first-child { box-shadow: inset 3px 0 var(--ok); }
tr.hospital td:first-child { box-shadow: inset 3px 0 var(--hosp); }
tr.away td:first-child { box-shadow: inset 3px 0 var(--away); }
tr.other td:first-child { box-shadow: inset 3px 0 #6e7681; }
tr.mine { background: var(--mine); }
td.caller { color: #f0c674; }
td.actions { white-space: nowrap; }
td.actions .acts { display: flex; gap: 6px; align-items: center; }
.muted { color: var(--muted); }
#chain { display: flex; flex-wrap: wrap; align-items: center; gap: 6px 14px; background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 8px 12px; margin-bottom: 12px; font-variant-numeric: tabular-nums; }
#chain b { font-size: 17px; }
#chain progress { flex: 1 1 120px; height: 10px; accent-color: var(--ok); }
#chain[data-level="warn"] progress { accent-color: var(--away); }
#chain[data-level="danger"] { border-color: var(--hosp); }
#chain[data-level="danger"] progress { accent-color: var(--hosp); }
#chain[data-level="danger"] #chain-timeout { color: #ff9b94; font-weight: 700; }
#chain-cooldown, #chain-modifier { color: var(--muted); }
.chains { display: grid; grid-template-columns: repeat(auto-fit, minmax(300px, 1fr)); gap: 0 12px; }
#enemy-chain { display: flex; flex-wrap: wrap; align-items: center; gap: 6px 14px; background: #2a1d21; border: 1px solid #5a3038; border-radius: 8px; padding: 8px 12px; margin-bottom: 12px; font-variant-numeric: tabular-nums; }
#enemy-chain b { font-size: 17px; }
#enemy-chain-bonus { color: #f0c674; }
#list-controls .list-choice { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; margin: 0 0 8px; }
#list-controls select { font: inherit; font-size: 14px; color: var(--text); background: #2a2f36; border: 1px solid #4a515c; border-radius: 6px; min-height: 32px; }
#list-controls .hide-label { color: var(--muted); margin-left: 6px; }
#list-controls button.filter[aria-pressed="true"] { background: #5a2a2a; border-color: #8c3a3a; text-decoration: line-through; }
#list-controls .hidden-count { color: #f0c674; }
.act::before { content: ""; display: inline-block; width: 8px; height: 8px; margin-right: 4px; border-radius: 50%; background: #6e7681; }
.act[data-activity="online"]::before { background: var(--ok); }
.act[data-activity="idle"]::before { background: var(--away); }
td.name .act { display: none; margin-left: 6px; font-size: 12px; font-weight: 400; color: var(--muted); }
#chain-bonus { color: #f0c674; }
.alerts { list-style: none; margin: 0 0 12px; padding: 0; display: grid; gap: 6px; }
.alerts:empty { display: none; }
.alerts li { display: flex; align-items: center; gap: 8px; padding: 8px 12px; border-radius: 6px; background: #3d3312; border: 1px solid #7a6520; color: #fff3c4; }
.alerts li b { white-space: nowrap; }
.alerts button.dismiss { margin-left: auto; min-height: 28px; padding: 0 10px; }
.settings label { display: flex; align-items: center; justify-content: space-between; gap: 8px; margin: 4px 0; color: var(--muted); }
.settings input { width: 88px; }
.settings p { margin: 4px 0; }
td.name .mark-badge:not(:empty) { margin-left: 6px; font-size: 12px; padding: 1px 6px; border-radius: 8px; background: #3a3f47; }
td.name .mark-badge[data-mark="priority"] { background: #5b2a7a; color: #f1d9ff; }
td.name .mark-badge[data-mark="avoid"] { background: #444; color: #ccc; }
td.name .bell:not(:empty) { margin-left: 6px; font-size: 12px; padding: 1px 6px; border-radius: 8px; background: #4a3f14; color: #ffe7a3; }
tr.priority td.name a { font-weight: 700; }
tr.avoid { opacity: .5; }
tr.early { background: #3d3312; }
tr.early td.status { color: #ffd866; font-weight: 700; }
select.mark { font: inherit; font-size: 13px; color: inherit; background: #2a2f36; border: 1px solid #4a515c; border-radius: 6px; min-height: 32px; }
button.watch[aria-pressed="true"] { background: #4a3f14; border-color: #7a6520; }
.pace { display: grid; grid-template-columns: minmax(0, 3fr) minmax(220px, 2fr); gap: 4px 16px; align-items: center; margin-bottom: 12px; }
.pace h2 { grid-column: 1 / -1; }
.score-chart { width: 100%; height: auto; display: block; }
.score-chart .axis { stroke: var(--line); }
.score-chart .target { stroke: #f0c674; stroke-dasharray: 6 4; }
.score-chart polyline { fill: none; stroke-width: 2; }
.score-chart .ours { stroke: var(--ok); }
.score-chart .theirs { stroke: var(--hosp); }
.score-chart .tick { fill: var(--muted); font-size: 15px; }
.pace dl { margin: 0; }
.pace dt { font-weight: 600; font-size: 13px; }
.pace dt[data-pace="ours"] { color: var(--ok); }
.pace dt[data-pace="theirs"] { color: var(--hosp); }
.pace dd { margin: 0 0 6px; font-variant-numeric: tabular-nums; font-size: 14px; }
.discord form { display: grid; gap: 6px; }
.discord label { color: var(--muted); font-size: 13px; }
.discord input { width: 100%; }
.discord-buttons { display: flex; flex-wrap: wrap; gap: 6px; }
.discord-error:empty { display: none; }
.discord-error { color: #ff9b94; margin: 4px 0; overflow-wrap: anywhere; }
#discord-note[data-kind="error"] { color: #ff9b94; }
.report-nav { display: flex; gap: 8px; align-items: center; margin-bottom: 8px; flex-wrap: wrap; }
#report h2 { font-size: 18px; margin: 0; }
#report-table td, #report-table th { font-variant-numeric: tabular-nums; }
#report-table tfoot th, #report-table tfoot td { font-weight: 700; border-top: 2px solid var(--line); }
@media (max-width: 640px) {
  header { padding: 8px 10px; }
  #targets { order: -1; margin-bottom: 12px; }
  #intel > summary { display: list-item; cursor: pointer; background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 8px 12px; margin-bottom: 8px; color: var(--muted); }
  #intel[open] > summary { margin-bottom: 12px; }
  main { padding: 8px 8px 24px; }
  .me { margin-left: 0; }
  .cards { grid-template-columns: repeat(4, 1fr); gap: 6px; }
  .card { padding: 4px 6px; }
  .card b { font-size: 17px; }
  .card span { font-size: 11px; }
  /* :where() keeps these as weak as the unscoped rules they were, so td.lv and td.actions still win. */
  :where(#targets) thead { display: none; }
  :where(#targets), :where(#targets) tbody, :where(#targets) tr, :where(#targets) td { display: block; width: 100%; }
  :where(#targets) tr { display: grid; grid-template-columns: 1fr auto; gap: 2px 8px; padding: 8px 10px; border-bottom: 1px solid var(--line); }
  :where(#targets) td { border: 0; padding: 0; }
  td.name { font-weight: 600; }
  td.lv, td.last { display: none; }
  td.name .act { display: inline; }
  td.status { text-align: right; }
  td.caller:empty { display: none; }
  td.actions { grid-column: 1 / -1; }
  td.actions .acts { flex-wrap: wrap; justify-content: flex-end; }
  td.actions button, td.actions select { padding: 2px 7px; font-size: 13px; min-height: 30px; }
  select.mark { max-width: 92px; }
  #chain { gap: 4px 10px; padding: 6px 10px; }
  .pace { grid-template-columns: 1fr; }
  /* The report's columns stack as label: value lines under the member's name. */
  :where(#report-table) thead { display: none; }
  :where(#report-table), :where(#report-table) tbody, :where(#report-table) tfoot, :where(#report-table) tr { display: block; width: 100%; }
  :where(#report-table) tr { display: grid; grid-template-columns: repeat(3, 1fr); gap: 2px 8px; padding: 8px 10px; border-bottom: 1px solid var(--line); }
  :where(#report-table) th[scope="row"] { grid-column: 1 / -1; border: 0; padding: 0; background: none; }
  :where(#report-table) td { border: 0; padding: 0; font-size: 13px; }
  :where(#report-table) td::before { content: attr(data-label) ": "; color: var(--muted); }
  tr.okay, tr.hospital, tr.away, tr.other { box-shadow: inset 3px 0 var(--line); }
  tr.okay { box-shadow: inset 3px 0 var(--ok); } tr.hospital { box-shadow: inset 3px 0 var(--hosp); } tr.away { box-shadow: inset 3px 0 var(--away); }
  :where(#targets) tr td:first-child { box-shadow: none !important; }
  #signin { margin: 8px 0; padding: 12px; }
  /* One column under another, each cell headed by its column's name; the header row stays for screen readers. */
  table.terms thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); }
  table.terms, table.terms caption, table.terms tbody, table.terms tr, table.terms td { display: block; width: 100%; }
  table.terms caption { padding: 8px 10px; }
  table.terms td { border-right: 0; }
  table.terms td::before { content: attr(data-label); display: block; color: var(--accent); font-size: 12px; font-weight: 600; margin-bottom: 2px; }
}
`;

const BODY = `
<header>
  <h1>TornCat</h1>
  <span class="war" id="war">Not signed in</span>
  <span class="score" id="score"></span>
  <span class="badge" id="transport" role="status" data-state="down">offline</span>
  <a id="install-link" href="/install" title="TornCat inside torn.com: calls in Torn's own war list (Tampermonkey, Violentmonkey, TornPDA)">Userscript for torn.com</a>
  <span class="me" id="me" hidden><span id="who"></span><a id="report-link" href="#report" hidden>War report</a><button type="button" id="signout">Sign out</button><button type="button" id="forget" title="Delete your API key from this server and end all your sessions">Forget my key</button></span>
</header>
<main>
  <div id="alert" class="alert" role="alert" aria-live="assertive"></div>
  <ul id="alerts" class="alerts" aria-label="Exit and chain alerts" aria-live="assertive"></ul>
  <section id="signin" aria-labelledby="signin-title" hidden>
    <h2 id="signin-title">Sign in</h2>
    <form id="signin-form">
      <label for="apikey">Your Torn API key (16 characters; ${KEY_ACCESS_LEVEL} access is enough)</label>
      <input id="apikey" name="apiKey" type="password" autocomplete="off" spellcheck="false" maxlength="16" required pattern="[A-Za-z0-9]{16}" aria-describedby="terms-title">
      <button type="submit">Sign in</button>
    </form>
    <p class="hint">Calls inside torn.com itself, in Torn's own war list: <a href="/install">install the TornCat userscript</a>.</p>
    <p class="hint">No key yet? <a href="${escapeHtml(CREATE_KEY_URL)}" target="_blank" rel="noopener">Create a ${KEY_ACCESS_LEVEL} key for TornCat on Torn</a>.</p>
${termsTable('terms-title')}
  </section>
  <div id="board" hidden>
    <p id="sync-note" class="alert info" role="status" aria-live="polite" hidden></p>
    <details id="intel" open>
    <summary>Chain, counters, next out, calls, assists, alert settings</summary>
    <div class="chains">
    <section id="chain" aria-label="Chain" hidden>
      <b id="chain-count"></b><span id="chain-timeout" role="timer"></span><progress id="chain-progress" max="300" value="0" aria-label="Chain timeout"></progress><span id="chain-bonus"></span><span id="chain-cooldown"></span><span id="chain-modifier"></span>
    </section>
    <section id="enemy-chain" aria-label="Enemy chain" hidden>
      <b id="enemy-chain-count"></b><span id="enemy-chain-timeout" role="timer"></span><span id="enemy-chain-bonus"></span>
    </section>
    </div>
    <section id="pace" class="box pace" aria-labelledby="pace-title" hidden><h2 id="pace-title">Score and pace</h2><div id="pace-chart"></div><dl id="pace-lines"></dl></section>
    <div class="cards" id="counts" aria-label="Summary"></div>
    <div class="side">
      <section class="box" aria-labelledby="next-title"><h2 id="next-title">Next out of hospital</h2><ol id="next"></ol></section>
      <section class="box" aria-labelledby="calls-title"><h2 id="calls-title">Calls</h2><ul id="calls"></ul></section>
      <section class="box" aria-labelledby="assists-title"><h2 id="assists-title">Assists</h2><ul id="assists"></ul></section>
      <section class="box settings" aria-labelledby="settings-title"><h2 id="settings-title">Alerts</h2>
        <p class="hint" id="notify-state"></p>
        <button type="button" id="notify" hidden>Allow notifications</button>
        <label for="lead">Alert before a watched target leaves hospital (s) <input id="lead" type="number" min="1" step="1" inputmode="numeric"></label>
        <label for="chain-threshold">Alert when the chain's timeout is under (s) <input id="chain-threshold" type="number" min="1" step="1" inputmode="numeric"></label>
        <label for="enemy-chain-hits">Alert when their chain passes (hits) <input id="enemy-chain-hits" type="number" min="1" step="1" inputmode="numeric"></label>
      </section>
      <section class="box discord" id="discord" aria-labelledby="discord-title"><h2 id="discord-title">Discord</h2>
        <p class="hint" id="discord-state">Reading…</p>
        <p class="discord-error" id="discord-error" role="status"></p>
        <form id="discord-form" hidden>
          <label for="discord-url">Webhook URL (in Discord: channel settings → Integrations → Webhooks → Copy Webhook URL)</label>
          <input id="discord-url" type="password" autocomplete="off" spellcheck="false" maxlength="300" required placeholder="https://discord.com/api/webhooks/…">
          <div class="discord-buttons"><button type="submit">Save</button><button type="button" id="discord-test" hidden>Send a test</button><button type="button" id="discord-remove" hidden>Remove</button></div>
        </form>
        <p class="hint" id="discord-note" role="status"></p>
      </section>
    </div>
    </details>
    <div id="list-controls"></div>
    <table id="targets">
      <caption>Targets</caption>
      <thead><tr><th scope="col">Name</th><th scope="col">Lv</th><th scope="col">Status</th><th scope="col">Last action</th><th scope="col">Called by</th><th scope="col">Actions</th></tr></thead>
      <tbody></tbody>
    </table>
  </div>
  <section id="report" aria-labelledby="report-title" hidden>
    <div class="report-nav"><a href="#">← Back to the board</a><button type="button" id="report-refresh">Refresh</button><button type="button" id="report-csv">Download CSV</button><button type="button" id="report-json">Download JSON</button></div>
    <h2 id="report-title">War report</h2>
    <p class="hint" id="report-meta"></p>
    <section class="box pace" aria-label="Score and pace"><div id="report-chart"></div><dl id="report-pace"></dl></section>
    <table id="report-table"></table>
  </section>
</main>
`;

/** Escapes what would end the inline script early. */
function inlineScript(js: string): string {
  return js.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

function sha256(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/** The whole dashboard: one HTML page with its CSS and script inline, and a CSP that allows exactly those. */
export function dashboardPage(clientJs: string): { html: string; csp: string } {
  const js = inlineScript(clientJs);
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="dark">
<title>TornCat war board</title>
<link rel="icon" href="data:,">
<style>${CSS}</style>
</head>
<body>${BODY}<script>${js}</script>
</body>
</html>
`;
  const csp = [
    "default-src 'none'",
    `script-src ${sha256(js)}`,
    `style-src ${sha256(CSS)}`,
    "connect-src 'self'",
    "img-src 'self' data:",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
  return { html, csp };
}
