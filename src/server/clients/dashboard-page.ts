import { createHash } from 'node:crypto';

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
.me { margin-left: auto; display: flex; gap: 8px; align-items: center; color: var(--muted); }
main { padding: 12px 16px 32px; max-width: 1200px; margin: 0 auto; }
button { font: inherit; color: inherit; background: #353b44; border: 1px solid #4a515c; border-radius: 6px; padding: 4px 12px; cursor: pointer; min-height: 32px; }
button:hover { background: #414852; }
button[disabled] { opacity: .5; cursor: default; }
button.call { background: #24507a; border-color: #2f6aa3; }
button.release { background: #6b3a1f; border-color: #8c4d2a; }
:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }
input { font: inherit; color: var(--text); background: #0f1215; border: 1px solid #4a515c; border-radius: 6px; padding: 6px 8px; min-height: 36px; }
.alert { padding: 8px 12px; border-radius: 6px; background: #4a2323; color: #ffd9d9; border: 1px solid #6b3030; margin-bottom: 12px; }
.alert.info { background: #233a4a; color: #d6ecff; border-color: #305a78; }
.alert:empty { display: none; }
#signin { max-width: 420px; margin: 40px auto; background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 16px; }
#signin h2 { margin-top: 0; font-size: 18px; }
#signin form { display: flex; gap: 8px; flex-wrap: wrap; }
#signin label { display: block; margin-bottom: 6px; color: var(--muted); }
#signin input { flex: 1 1 200px; }
.hint { color: var(--muted); font-size: 13px; }
[hidden] { display: none !important; }
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
td.actions { white-space: nowrap; display: flex; gap: 8px; align-items: center; }
.muted { color: var(--muted); }
@media (max-width: 640px) {
  header { padding: 8px 10px; }
  main { padding: 8px 8px 24px; }
  .me { margin-left: 0; }
  .cards { grid-template-columns: repeat(4, 1fr); gap: 6px; }
  .card { padding: 4px 6px; }
  .card b { font-size: 17px; }
  .card span { font-size: 11px; }
  thead { display: none; }
  table, tbody, tr, td { display: block; width: 100%; }
  tr { display: grid; grid-template-columns: 1fr auto; gap: 2px 8px; padding: 8px 10px; border-bottom: 1px solid var(--line); }
  td { border: 0; padding: 0; }
  td.name { font-weight: 600; }
  td.lv, td.last { display: none; }
  td.status { text-align: right; }
  td.caller:empty { display: none; }
  td.actions { grid-column: 1 / -1; justify-content: flex-end; }
  tr.okay, tr.hospital, tr.away, tr.other { box-shadow: inset 3px 0 var(--line); }
  tr.okay { box-shadow: inset 3px 0 var(--ok); } tr.hospital { box-shadow: inset 3px 0 var(--hosp); } tr.away { box-shadow: inset 3px 0 var(--away); }
  tr td:first-child { box-shadow: none !important; }
}
`;

const BODY = `
<header>
  <h1>TornCat</h1>
  <span class="war" id="war">Not signed in</span>
  <span class="score" id="score"></span>
  <span class="badge" id="transport" role="status" data-state="down">offline</span>
  <span class="me" id="me" hidden><span id="who"></span><button type="button" id="signout">Sign out</button></span>
</header>
<main>
  <div id="alert" class="alert" role="alert" aria-live="assertive"></div>
  <section id="signin" aria-labelledby="signin-title" hidden>
    <h2 id="signin-title">Sign in</h2>
    <form id="signin-form">
      <label for="apikey">Your Torn API key (16 characters; public access is enough)</label>
      <input id="apikey" name="apiKey" type="password" autocomplete="off" spellcheck="false" maxlength="16" required pattern="[A-Za-z0-9]{16}">
      <button type="submit">Sign in</button>
    </form>
    <p class="hint">The server checks the key with Torn and keeps it encrypted to follow the war for your faction. This browser keeps only a session token.</p>
  </section>
  <div id="board" hidden>
    <div class="cards" id="counts" aria-label="Summary"></div>
    <div class="side">
      <section class="box" aria-labelledby="next-title"><h2 id="next-title">Next out of hospital</h2><ol id="next"></ol></section>
      <section class="box" aria-labelledby="calls-title"><h2 id="calls-title">Calls</h2><ul id="calls"></ul></section>
    </div>
    <table id="targets">
      <caption>Targets</caption>
      <thead><tr><th scope="col">Name</th><th scope="col">Lv</th><th scope="col">Status</th><th scope="col">Last action</th><th scope="col">Called by</th><th scope="col">Actions</th></tr></thead>
      <tbody></tbody>
    </table>
  </div>
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
