/**
 * The board's Discord box: whether the faction posts its war alerts to Discord, and, for members whose
 * position may mark, the form that sets, tests and removes the webhook. The URL is sent once and never
 * shown again: the server keeps it encrypted and answers only whether there is one.
 */
import type { DiscordAction, DiscordStatus } from '../../protocol/discord.js';
import { byId } from '../core/dom.js';

const POSTS = 'war start and end, our chain about to break, priority marks, priority targets out of hospital early';

function tct(at: number): string {
  return `${new Date(at * 1000).toISOString().slice(0, 16).replace('T', ' ')} TCT`;
}

export class DiscordBox {
  readonly #run: (a: DiscordAction) => Promise<DiscordStatus | null>;
  /** The member the box was read for: a new sign-in reads it again. */
  #readFor: number | null = null;

  constructor(run: (a: DiscordAction) => Promise<DiscordStatus | null>) {
    this.#run = run;
    const url = byId<HTMLInputElement>('discord-url');
    byId('discord-form').addEventListener('submit', (e) => {
      e.preventDefault();
      void this.#do({ action: 'set', url: url.value.trim() }, 'Saved: Discord gets the war alerts from now on.').then((ok) => {
        if (ok) url.value = '';
      });
    });
    byId('discord-test').addEventListener('click', () => void this.#do({ action: 'test' }, 'Test message queued: look in the channel.'));
    byId('discord-remove').addEventListener('click', () => void this.#do({ action: 'remove' }, 'Removed: nothing more is posted to Discord.'));
  }

  /** Reads the status once per signed-in member. */
  show(memberId: number | undefined): void {
    if (memberId === undefined || memberId === this.#readFor) return;
    this.#readFor = memberId;
    void this.#do({ action: 'status' }, '');
  }

  async #do(a: DiscordAction, done: string): Promise<boolean> {
    const note = byId('discord-note');
    try {
      const status = await this.#run(a);
      if (status) this.#render(status);
      else if (a.action === 'test') void this.#run({ action: 'status' }).then((s) => s && this.#render(s));
      note.textContent = done;
      note.dataset.kind = 'ok';
      return true;
    } catch (e) {
      note.textContent = (e as Error).message;
      note.dataset.kind = 'error';
      return false;
    }
  }

  #render(s: DiscordStatus): void {
    const state = byId('discord-state');
    state.textContent = s.configured
      ? `On: set by ${s.setBy?.name ?? '?'} on ${s.setAt ? tct(s.setAt) : '?'}. TornCat posts ${POSTS}.` +
        (s.lastSentAt ? ` Last posted ${tct(s.lastSentAt)}.` : '') +
        (s.pending ? ` ${s.pending} waiting.` : '')
      : `Off: TornCat posts nothing to Discord.${s.canManage ? '' : ' A leader can turn it on here.'}`;
    const error = byId('discord-error');
    error.textContent = s.lastError ?? '';
    byId('discord-form').hidden = !s.canManage;
    byId('discord-test').hidden = !s.configured;
    byId('discord-remove').hidden = !s.configured;
    byId('discord').dataset.configured = String(s.configured);
  }
}
