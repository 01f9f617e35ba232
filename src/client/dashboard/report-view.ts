import type { MemberReport, WarReport } from '../../protocol/report.js';
import { byId, el } from '../core/dom.js';
import { formatCountdown } from '../core/duration-text.js';
import { renderPaceList, renderScoreChart } from './score-chart.js';

/** The report's page on the board: `#report` (the current war) or `#report/5001`. */
export function reportWarId(hash: string, currentWarId: number | undefined): number | null | undefined {
  const m = /^#report(?:\/(\d{1,10}))?$/.exec(hash);
  if (!m) return undefined;
  return m[1] ? Number(m[1]) : (currentWarId ?? null);
}

const num = (n: number | null | undefined) => (n === null || n === undefined ? '—' : String(n));

/** TornCat's calls first, then Torn's own numbers for the member (from its chain and war reports). */
const COLUMNS: [string, (m: Omit<MemberReport, 'id' | 'name'>) => string][] = [
  ['Calls', (m) => String(m.calls)],
  ['Target hospitalized', (m) => String(m.targetHospitalized)],
  ['Expired', (m) => String(m.expired)],
  ['Released', (m) => String(m.released)],
  ['Open', (m) => String(m.open)],
  ['Median exit → hospital', (m) => (m.medianExitToHitS === null ? '—' : formatCountdown(m.medianExitToHitS))],
  ['War hits (Torn)', (m) => num(m.torn?.warHits)],
  ['Hospitalized (Torn)', (m) => num(m.torn?.hospitalized)],
  ['Respect (Torn)', (m) => num(m.torn?.respect)],
  ['War score (Torn)', (m) => num(m.torn?.warScore)],
];

const SOURCES: Record<WarReport['torn']['source'], string> = {
  none: 'no report from Torn yet',
  chain_reports: "Torn's chain reports",
  ranked_war_report: "Torn's ranked war report",
};

/** Draws a war report: one row per member, the faction's totals below. */
export function renderReport(r: WarReport): void {
  const when = (s: number) => new Date(s * 1000).toISOString().slice(0, 16).replace('T', ' ');
  byId('report-title').textContent = `War report: ${r.warId} vs ${r.enemy.name}`;
  byId('report-meta').textContent =
    `${when(r.start)} TCT – ${r.end ? `${when(r.end)} TCT` : 'running'} · as of ${when(r.generatedAt)} TCT · ` +
    `target hospitalized: a call ended with its target in hospital, whoever put it there · ` +
    `median exit → hospital: from a called target's hospital exit to its next hospitalisation · ` +
    `(Torn): ${SOURCES[r.torn.source]}${r.torn.readAt ? `, read ${when(r.torn.readAt)} TCT` : ''}`;
  // An ended war's pace is the one it ended with (the report computed it at the end).
  const paceAt = Math.min(r.generatedAt, r.end ?? Infinity);
  renderScoreChart(byId('report-chart'), r.scoreHistory ?? [], { start: r.start, end: r.end, target: r.target, enemyName: r.enemy.name }, paceAt);
  if (r.pace) renderPaceList(byId('report-pace'), r.pace, paceAt, r.enemy.name);
  const table = byId<HTMLTableElement>('report-table');
  table.textContent = '';
  const head = el('tr');
  head.append(el('th', { scope: 'col' }, 'Member'), ...COLUMNS.map(([h]) => el('th', { scope: 'col' }, h)));
  table.createTHead().append(head);
  const body = table.createTBody();
  const members = [...r.members].sort(
    (a, b) =>
      (b.torn?.warHits ?? 0) - (a.torn?.warHits ?? 0) ||
      b.targetHospitalized - a.targetHospitalized ||
      b.calls - a.calls ||
      a.name.localeCompare(b.name),
  );
  for (const m of members) {
    const tr = el('tr', { 'data-member-id': String(m.id) });
    tr.append(el('th', { scope: 'row' }, `${m.name} [${m.id}]`), ...COLUMNS.map(([h, f]) => el('td', { 'data-label': h }, f(m))));
    body.append(tr);
  }
  if (!members.length) {
    const tr = el('tr');
    tr.append(el('td', { colspan: String(COLUMNS.length + 1), class: 'none' }, 'No calls in this war yet'));
    body.append(tr);
  }
  const foot = el('tr', { class: 'totals' });
  foot.append(el('th', { scope: 'row' }, 'Faction'), ...COLUMNS.map(([h, f]) => el('td', { 'data-label': h }, f(r.totals))));
  table.createTFoot().append(foot);
}
