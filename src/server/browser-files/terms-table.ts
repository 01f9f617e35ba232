import { TERMS } from '../../protocol/terms.js';

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] as string);
}

/**
 * Torn's terms table, from the one text every surface renders (the board and /install). `captionId`
 * names the caption where a form points at it (`aria-describedby`).
 */
export function termsTable(captionId?: string): string {
  const th = TERMS.map((t) => `<th scope="col">${escapeHtml(t.title)}<small>${escapeHtml(t.question)}</small></th>`).join('');
  const td = TERMS.map((t) => `<td data-label="${escapeHtml(t.title)}"><b>${escapeHtml(t.answer)}</b>${escapeHtml(t.detail)}</td>`).join(
    '',
  );
  return `    <table class="terms">
      <caption${captionId ? ` id="${captionId}"` : ''}>What TornCat does with your key and your data (Torn's API terms)</caption>
      <thead><tr>${th}</tr></thead>
      <tbody><tr>${td}</tr></tbody>
    </table>`;
}
