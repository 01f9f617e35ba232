import { byId } from '../core/dom.js';
import { formatCountdown } from '../core/duration-text.js';
import type { WarState } from '../core/war-state.js';

/** Torn's chain timeout after a hit, in seconds: the bar's full length. */
const FULL_TIMEOUT_S = 300;

/** The chain bar: current / max, the live timeout countdown, cooldown and the next bonus. */
export function renderChain(state: WarState, now: number): void {
  const bar = byId('chain');
  const c = state.chain;
  bar.hidden = !c;
  if (!c) return;
  const left = state.chainTimeoutLeft(now);
  const cooldown = state.chainCooldownLeft(now);
  const running = left !== null;
  byId('chain-count').textContent = running ? `Chain ${c.current}${c.max ? ` / ${c.max}` : ''}` : 'No chain running';
  byId('chain-timeout').textContent = running ? `${formatCountdown(left)} left` : '';
  bar.dataset.level = !running ? 'none' : left <= 60 ? 'danger' : left <= 120 ? 'warn' : 'ok';
  const progress = byId<HTMLProgressElement>('chain-progress');
  progress.hidden = !running;
  progress.max = Math.max(FULL_TIMEOUT_S, c.timeout);
  progress.value = left ?? 0;
  byId('chain-cooldown').textContent = cooldown ? `cooldown ${formatCountdown(cooldown)}` : '';
  const toGo = c.nextBonus - c.current;
  byId('chain-bonus').textContent = running && c.nextBonus > 0 ? `next bonus ${c.nextBonus} (${toGo} hit${toGo === 1 ? '' : 's'})` : '';
  byId('chain-modifier').textContent = c.modifier && c.modifier !== 1 ? `×${c.modifier}` : '';
}
