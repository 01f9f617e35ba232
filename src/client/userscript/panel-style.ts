/** The panel's stylesheet (in its shadow root, apart from Torn's CSS). */
export const PANEL_CSS = `
:host { all: initial; }
.tc { position: fixed; right: var(--tc-right, 8px); bottom: var(--tc-bottom, 8px); z-index: 2147483000; width: min(400px, calc(100vw - 16px));
  max-height: min(70vh, 640px); display: flex; flex-direction: column; background: #1c1f24; color: #e8e8e8;
  font: 13px/1.35 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; border: 1px solid #3a3f47;
  border-radius: 8px; box-shadow: 0 6px 24px rgba(0,0,0,.45); overflow: hidden; }
header { display: flex; align-items: center; gap: 8px; padding: 6px 8px; background: #262a31; border-bottom: 1px solid #3a3f47; cursor: move; touch-action: none; user-select: none; }
header button { cursor: pointer; }
/* Collapsed, the panel is a narrow tab on the screen's edge (left by default), never over Torn's
   attack button or the Call/Release buttons at the end of the war list's rows. */
.tab { display: none; }
.tc.collapsed { left: 0; right: auto; top: var(--tc-tab-top, 30vh); bottom: auto; width: auto; max-height: none;
  border-left: 0; border-radius: 0 8px 8px 0; }
.tc.collapsed.right { left: auto; right: 0; border-left: 1px solid #3a3f47; border-right: 0; border-radius: 8px 0 0 8px; }
.tc.collapsed > :not(.tab) { display: none !important; }
.tc.collapsed .tab { display: flex; flex-direction: column; align-items: center; gap: 3px; width: 30px; min-height: 56px; padding: 6px 0;
  border: 0; border-radius: 0; background: #262a31; font-size: 11px; font-weight: 700; touch-action: none; user-select: none; }
.tab .dot { width: 8px; height: 8px; border-radius: 50%; background: #6e7681; }
.tc[data-state="live"] .tab .dot { background: #3fb950; }
.tc[data-state="down"] .tab .dot { background: #f85149; }
.tab .tab-chain:empty { display: none; }
.tab .tab-chain { font-variant-numeric: tabular-nums; color: #bfe0ff; }
.tc.urgent .tab { background: #7a2323; }
.tc.msg-error .tab { box-shadow: inset 0 -3px 0 #f85149; }
.chain { padding: 4px 8px; font-size: 12px; background: #1f2d3a; color: #cfe6ff; border-bottom: 1px solid #30353c; font-variant-numeric: tabular-nums; }
.pace { padding: 3px 8px; font-size: 12px; color: #c9d1d9; border-bottom: 1px solid #30353c; font-variant-numeric: tabular-nums; }
.chain[data-urgent="true"] { background: #7a2323; color: #fff; font-weight: 600; }
.assists { border-bottom: 1px solid #30353c; background: #2a2418; }
.assists h3 { margin: 0; padding: 4px 8px 0; font-size: 12px; color: #f0c674; }
.assists li { display: flex; justify-content: space-between; gap: 8px; padding: 3px 8px; border-bottom: 0; }
.assists .left { font-variant-numeric: tabular-nums; color: #f0c674; }
fieldset.alerts { border: 1px solid #3a3f47; border-radius: 6px; padding: 6px 8px; display: grid; gap: 6px; margin: 0; }
fieldset.alerts legend { font-size: 12px; color: #b8bec8; padding: 0 4px; }
fieldset.alerts label.check { display: flex; gap: 6px; align-items: center; }
fieldset.alerts input[type="number"] { width: 6em; }
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
li { display: grid; grid-template-columns: minmax(0, 1fr) auto auto; gap: 2px 8px; align-items: center; padding: 5px 8px; border-bottom: 1px solid #2b3037; }
li.okay { border-left: 3px solid #3fb950; }
li.hospital { border-left: 3px solid #f85149; }
li.away { border-left: 3px solid #d29922; }
li.other { border-left: 3px solid #6e7681; }
li.mine { background: #1f3326; }
.name a { color: #8cc8ff; text-decoration: none; font-weight: 600; }
.name a:hover { text-decoration: underline; }
.lvl { color: #9aa3ae; font-size: 11px; }
.status { font-variant-numeric: tabular-nums; white-space: nowrap; text-align: right; }
.caller { grid-row: 2; grid-column: 1; font-size: 11px; color: #f0c674; }
li > button.callbtn { grid-row: 1; grid-column: 3; }
.acts { grid-row: 2; grid-column: 2 / 4; display: flex; gap: 4px; justify-content: flex-end; }
.acts button { min-height: 24px; padding: 1px 6px; font-size: 11px; }
.acts button.watch[aria-pressed="true"] { background: #1f5130; border-color: #2e7a48; }
.intel { grid-column: 1 / -1; font-size: 11px; color: #f0c674; }
.intel:empty { display: none; }
form.markbar { grid-column: 1 / -1; display: flex; flex-wrap: wrap; gap: 4px; padding: 4px 0 0; border: 0; background: none; }
form.markbar input { flex: 1 1 8em; min-width: 0; }
form.markbar button { min-height: 24px; font-size: 11px; padding: 1px 6px; }
li.priority { background: #2d2a1c; box-shadow: inset 3px 0 0 #f0c674; }
li.avoid { opacity: .5; }
li.early { background: #15324a; outline: 1px solid #58a6ff; outline-offset: -1px; }
li.early .status { color: #8cc8ff; font-weight: 600; }
.empty { padding: 10px 8px; color: #9aa3ae; }
`;
