// How the userscript's SSE parser copes with one long line delivered in small pieces (a slow network
// or a manager that hands text a few bytes at a time): time per line length, fed one character at a
// time and in 64-character pieces. A cost that grows with the line's square shows as a time ×16 for
// a line ×4; a linear one as ×4.
import { SseParser } from '../src/client/core/sse-parser.js';

export interface SseParserRow {
  chars: number;
  piece: number;
  ms: number;
}

export function benchSseParser(): SseParserRow[] {
  const rows: SseParserRow[] = [];
  for (const piece of [1, 64]) {
    for (const chars of [16_384, 65_536, 262_144, 1_000_000]) {
      let events = 0;
      const p = new SseParser({ onEvent: () => events++ });
      const chunk = 'x'.repeat(piece);
      const t = performance.now();
      p.feed('data: ');
      for (let n = 0; n < chars; n += piece) p.feed(chunk);
      p.feed('\n\n');
      const ms = performance.now() - t;
      if (events !== 1) throw new Error(`a ${chars}-character line in ${piece}-character pieces made ${events} events`);
      rows.push({ chars, piece, ms });
    }
  }
  return rows;
}

export function formatSseParser(rows: SseParserRow[]): string {
  const lines = ['| line (characters) | piece | ms |', '|---:|---:|---:|'];
  for (const r of rows) lines.push(`| ${r.chars.toLocaleString('en')} | ${r.piece} | ${r.ms.toFixed(1)} |`);
  return lines.join('\n');
}
