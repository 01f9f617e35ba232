/**
 * The war's score over time as a small inline SVG (ours and theirs, the target as a dashed line),
 * with each side's pace beside it: on the board and on the war report.
 */
import type { Pace, ScorePoint } from '../../protocol/score.js';
import { byId, el } from '../core/dom.js';
import { paceWords } from '../core/pace-text.js';
import type { WarState } from '../core/war-state.js';

const SVG = 'http://www.w3.org/2000/svg';
const W = 600;
const H = 170;
const PAD = { left: 44, right: 8, top: 8, bottom: 22 };

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>, text?: string): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

export interface ChartWar {
  start: number;
  /** The war's end, or null while it runs (the chart then runs to `now`). */
  end: number | null;
  target: number | null;
  enemyName: string;
}

/** Scores hold until the next read: the line steps, it does not slope. */
function steps(history: readonly ScorePoint[], side: 'ours' | 'theirs', x: (t: number) => number, y: (v: number) => number, until: number): string {
  const out: string[] = [];
  let lastY: number | null = null;
  for (const p of history) {
    const px = x(p.at);
    if (lastY !== null) out.push(`${px.toFixed(1)},${lastY.toFixed(1)}`);
    lastY = y(p[side]);
    out.push(`${px.toFixed(1)},${lastY.toFixed(1)}`);
  }
  if (lastY !== null) out.push(`${x(until).toFixed(1)},${lastY.toFixed(1)}`);
  return out.join(' ');
}

/** Draws the chart into `box` (replacing what it held). */
export function renderScoreChart(box: HTMLElement, history: readonly ScorePoint[], war: ChartWar, now: number): void {
  box.textContent = '';
  if (history.length === 0) {
    box.append(el('p', { class: 'none' }, 'No score read yet'));
    return;
  }
  // From the first score read (the war's start when TornCat followed it from there) to now or the end.
  const from = history[0].at;
  const until = Math.max(from + 60, Math.min(now, war.end ?? now), history.at(-1)!.at);
  const high = Math.max(...history.map((p) => Math.max(p.ours, p.theirs)));
  // Scaled to the scores, not to a target far above them; the target line shows once it is in reach.
  const top = Math.max(10, Math.ceil((high * 1.25) / 10) * 10);
  const x = (t: number) => PAD.left + ((t - from) / (until - from)) * (W - PAD.left - PAD.right);
  const y = (v: number) => H - PAD.bottom - (v / top) * (H - PAD.top - PAD.bottom);
  const last = history.at(-1)!;
  const chart = svg('svg', {
    viewBox: `0 0 ${W} ${H}`,
    class: 'score-chart',
    role: 'img',
    'aria-label': `Score over the war: us ${last.ours}, ${war.enemyName} ${last.theirs}${war.target ? `, target ${war.target}` : ''}`,
  });
  chart.append(
    svg('line', { x1: PAD.left, x2: W - PAD.right, y1: y(0), y2: y(0), class: 'axis' }),
    svg('text', { x: PAD.left - 4, y: y(top) + 12, class: 'tick', 'text-anchor': 'end' }, String(top)),
    svg('text', { x: PAD.left - 4, y: y(0), class: 'tick', 'text-anchor': 'end' }, '0'),
    svg('text', { x: PAD.left, y: H - 2, class: 'tick' }, tct(from)),
    svg('text', { x: W - PAD.right, y: H - 2, class: 'tick', 'text-anchor': 'end' }, tct(until)),
  );
  if (war.target && war.target <= top) {
    chart.append(svg('line', { x1: PAD.left, x2: W - PAD.right, y1: y(war.target), y2: y(war.target), class: 'target' }));
  }
  chart.append(
    svg('polyline', { points: steps(history, 'theirs', x, y, until), class: 'theirs', 'data-side': 'theirs' }),
    svg('polyline', { points: steps(history, 'ours', x, y, until), class: 'ours', 'data-side': 'ours' }),
  );
  box.append(chart);
}

/** `14:05 TCT` (Torn's clock is UTC), with the day when it is not today's. */
function tct(at: number): string {
  const d = new Date(at * 1000).toISOString();
  return `${d.slice(0, 10) === new Date().toISOString().slice(0, 10) ? '' : `${d.slice(5, 10)} `}${d.slice(11, 16)} TCT`;
}

/** The pace beside the chart: the lead, then each side's pace and when it would reach the target. */
export function renderPaceList(list: HTMLElement, pace: Pace, now: number, enemyName: string): void {
  const words = paceWords(pace, now);
  list.textContent = '';
  const rows: [string, string, string][] = [
    ['lead', pace.target ? `Score (target ${pace.target})` : 'Score', `${pace.ours.score} : ${pace.theirs.score} · ${words.lead}`],
    ['ours', 'Us', words.ours],
    ['theirs', enemyName, words.theirs],
  ];
  for (const [key, term, text] of rows) {
    list.append(el('dt', { 'data-pace': key }, term), el('dd', { 'data-pace': key }, text));
  }
}

/** The board's score box (`#pace`): the chart when the state changed, the pace every tick. */
export function renderWarScore(state: WarState, now: number, chartToo: boolean): void {
  const box = byId('pace');
  const war = state.war;
  const pace = state.pace(now);
  box.hidden = !war || !pace || war.phase === 'upcoming';
  if (!war || !pace || box.hidden) return;
  const serverNow = Math.floor(state.serverNow(now));
  if (chartToo) renderScoreChart(byId('pace-chart'), state.scoreHistory, { ...war, enemyName: war.enemy.name }, serverNow);
  renderPaceList(byId('pace-lines'), pace, serverNow, war.enemy.name);
}
