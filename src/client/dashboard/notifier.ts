import { byId, el } from '../core/dom.js';

/** How the board can reach the member: system notifications, or (denied, unsupported, not asked) the page itself. */
export type NotifyMode = 'notifications' | 'in-page';

/** How many alerts the in-page list keeps. */
const KEEP = 6;

/**
 * The board's alerts: a system notification (Notification API) when the member allowed it, and
 * always a line in the page's alert list with a short beep, so nothing is missed when the
 * notification is not allowed or the tab is in front.
 */
export class Notifier {
  #audio: AudioContext | undefined;

  get supported(): boolean {
    return typeof Notification === 'function';
  }

  get mode(): NotifyMode {
    return this.supported && Notification.permission === 'granted' ? 'notifications' : 'in-page';
  }

  /** Asks for the permission: only from a click of the member's (browsers ignore it otherwise). */
  async ask(): Promise<NotifyMode> {
    this.#unlockAudio();
    if (this.supported && Notification.permission === 'default') await Notification.requestPermission();
    return this.mode;
  }

  notify(title: string, body: string, tag: string): void {
    if (this.mode === 'notifications') {
      try {
        new Notification(title, { body, tag });
      } catch {
        /* some mobile browsers only notify from a service worker: the page's list below still shows it */
      }
    }
    const list = byId('alerts');
    const item = el('li', { 'data-tag': tag });
    const close = el('button', { type: 'button', class: 'dismiss', 'aria-label': 'Dismiss' }, '×');
    close.addEventListener('click', () => item.remove());
    item.append(el('b', {}, title), document.createTextNode(` ${body}`), close);
    list.prepend(item);
    while (list.children.length > KEEP) list.lastElementChild?.remove();
    this.#beep();
  }

  /** Browsers start audio only after a gesture: the first click makes the context. */
  #unlockAudio(): void {
    try {
      this.#audio ??= new AudioContext();
      void this.#audio.resume();
    } catch {
      /* no Web Audio: the alert is silent */
    }
  }

  #beep(): void {
    const ctx = this.#audio;
    if (!ctx || ctx.state !== 'running') return;
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.frequency.value = 880;
    gain.gain.setValueAtTime(0.2, ctx.currentTime);
    gain.gain.exponentialRampToValueAtTime(0.001, ctx.currentTime + 0.4);
    osc.connect(gain).connect(ctx.destination);
    osc.start();
    osc.stop(ctx.currentTime + 0.4);
  }
}
