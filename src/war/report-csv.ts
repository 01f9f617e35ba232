// The war report as CSV (RFC 4180: a header row, CRLF line ends, a cell with a comma, a quote or a
// line break quoted and its quotes doubled), one row per member and a last row for the faction.
// Member names come from Torn, so a text cell a spreadsheet would run as a formula (starting with
// = + - @, or a tab or carriage return, as OWASP's "CSV Injection" page lists) gets a leading '.
import type { MemberReport, WarReport } from '../protocol/report.js';

type Cell = string | number | null;

const COLUMNS: ReadonlyArray<[header: string, value: (m: Omit<MemberReport, 'id' | 'name'>) => Cell]> = [
  ['calls', (m) => m.calls],
  ['target_hospitalized', (m) => m.targetHospitalized],
  ['expired', (m) => m.expired],
  ['released', (m) => m.released],
  ['open', (m) => m.open],
  ['median_exit_to_hospital_s', (m) => m.medianExitToHitS],
  ['torn_war_hits', (m) => m.torn?.warHits ?? null],
  ['torn_hospitalized', (m) => m.torn?.hospitalized ?? null],
  ['torn_respect', (m) => m.torn?.respect ?? null],
  ['torn_war_score', (m) => m.torn?.warScore ?? null],
];

/** A text cell made safe to open in a spreadsheet, then quoted as RFC 4180 needs. */
export function csvCell(value: Cell): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The report as CSV text, with its header row; `torn_source` says where Torn's numbers come from. */
export function reportCsv(r: WarReport): string {
  const head = ['war_id', 'member_id', 'member', ...COLUMNS.map(([h]) => h), 'torn_source'];
  const row = (id: Cell, name: Cell, m: Omit<MemberReport, 'id' | 'name'>) => [r.warId, id, name, ...COLUMNS.map(([, f]) => f(m)), r.torn.source];
  const rows: Cell[][] = [head, ...r.members.map((m) => row(m.id, m.name, m)), row(null, 'Faction total', r.totals)];
  return rows.map((cells) => cells.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
