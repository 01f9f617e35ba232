/**
 * How an alert reaches the member: in TornPDA, PDA's own toast and notification handlers (its GM
 * layer's GM_notification is a blocking confirm() dialog, which would freeze the page); elsewhere the
 * manager's GM_notification (a system notification, seen with the tab in the background) where the
 * script was granted it, else a toast on the page with a short beep.
 */
import { el } from '../core/dom.js';

declare const GM_notification:
  ((details: { title: string; text: string; tag?: string; silent?: boolean; timeout?: number; onclick?: () => void }) => void) | undefined;

/** TornPDA's bridge to the app (flutter_inappwebview): its handlers by name. */
export type PdaCallHandler = (name: string, ...args: unknown[]) => Promise<unknown>;

/** The app's bridge where the page runs inside TornPDA, else undefined. */
function pdaBridge(): PdaCallHandler | undefined {
  const bridge = (globalThis as { flutter_inappwebview?: { callHandler?: PdaCallHandler } }).flutter_inappwebview;
  return typeof bridge?.callHandler === 'function' ? bridge.callHandler.bind(bridge) : undefined;
}

/** PDA's scheduleNotification takes ids 0-9999: one per tag, so that a newer alert replaces the older. */
function pdaNotificationId(tag: string): number {
  let h = 0;
  for (const c of tag) h = (h * 31 + c.charCodeAt(0)) % 10_000;
  return h;
}

export interface Notice {
  title: string;
  text: string;
  /** One notification per tag: a newer one with the same tag replaces it (the manager's and ours). */
  tag: string;
}

/** How long a toast stays on the page, in ms: long enough to read, short enough not to sit over Torn's buttons. */
const TOAST_MS = 10_000;

const TOAST_CSS = `
:host { all: initial; }
.toasts { position: fixed; top: 8px; left: 50%; transform: translateX(-50%); z-index: 2147483001; display: grid; gap: 6px;
  width: min(420px, calc(100vw - 16px)); pointer-events: none; font: 13px/1.35 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; }
.toast { pointer-events: auto; display: grid; grid-template-columns: 1fr auto; gap: 2px 8px; align-items: start; padding: 8px 10px;
  background: #3d2a12; color: #fff3dd; border: 1px solid #d29922; border-radius: 8px; box-shadow: 0 6px 24px rgba(0,0,0,.5); }
.toast strong { font-size: 14px; }
.toast span { grid-column: 1; }
.toast button { grid-row: 1 / span 2; grid-column: 2; font: inherit; color: inherit; background: transparent; border: 1px solid #d29922;
  border-radius: 5px; min-width: 28px; min-height: 28px; cursor: pointer; }
`;

/** A short two-tone beep through WebAudio, once a user gesture has allowed sound on this page. */
class Beeper {
  #ctx: AudioContext | null = null;

  /** Browsers start audio only after a user gesture on the page: the first tap or key creates (or resumes) the context. */
  unlockOnGesture(): void {
    const unlock = () => {
      try {
        this.#ctx ??= new AudioContext();
        void this.#ctx.resume();
      } catch {
        /* no WebAudio here: toasts stay silent */
      }
    };
    for (const type of ['pointerdown', 'keydown', 'touchend'] as const)
      document.addEventListener(type, unlock, { capture: true, once: true });
  }

  /** Whether a beep can sound now (the context exists and runs). */
  get ready(): boolean {
    return this.#ctx?.state === 'running';
  }

  beep(): void {
    const ctx = this.#ctx;
    if (!ctx || ctx.state !== 'running') return;
    const t = ctx.currentTime;
    for (const [i, freq] of [880, 660].entries()) {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.type = 'sine';
      osc.frequency.value = freq;
      gain.gain.setValueAtTime(0.0001, t + i * 0.18);
      gain.gain.exponentialRampToValueAtTime(0.25, t + i * 0.18 + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, t + i * 0.18 + 0.16);
      osc.connect(gain).connect(ctx.destination);
      osc.start(t + i * 0.18);
      osc.stop(t + i * 0.18 + 0.17);
    }
  }
}

export type NoticeChannel = 'pda' | 'system' | 'page';

export class Notifier {
  readonly host: HTMLElement;
  readonly #list: HTMLElement;
  readonly #beeper = new Beeper();
  readonly #gm: typeof GM_notification;
  readonly #pda: PdaCallHandler | undefined;
  /** How many notices this page gave (on the host as `data-count`). */
  #count = 0;

  /**
   * `pda`: TornPDA's bridge, `gm`: the manager's GM_notification, each detected when omitted; null
   * leaves it out. In TornPDA the GM layer is never used for alerts.
   */
  constructor(options: { gm?: typeof GM_notification | null; pda?: PdaCallHandler | null } = {}) {
    this.#pda = options.pda === undefined ? pdaBridge() : (options.pda ?? undefined);
    const gm = options.gm === undefined ? (typeof GM_notification === 'function' ? GM_notification : undefined) : (options.gm ?? undefined);
    this.#gm = this.#pda ? undefined : gm;
    this.host = el('div', { id: 'torncat-alerts' });
    const root = this.host.attachShadow({ mode: 'open' });
    try {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(TOAST_CSS);
      root.adoptedStyleSheets = [sheet];
    } catch {
      root.append(el('style', {}, TOAST_CSS));
    }
    this.#list = el('div', { class: 'toasts', role: 'log', 'aria-live': 'assertive', 'aria-label': 'TornCat alerts' });
    root.append(this.#list);
  }

  /** How notices reach the member here: `pda` (TornPDA's toast and notification), `system` (GM_notification) or `page` (toast and beep). */
  get channel(): NoticeChannel {
    return this.#pda ? 'pda' : this.#gm ? 'system' : 'page';
  }

  mount(): void {
    if (!this.host.isConnected) document.body.append(this.host);
    this.#beeper.unlockOnGesture();
  }

  notify(n: Notice): void {
    this.#count++;
    this.host.setAttribute('data-count', String(this.#count));
    const pda = this.#pda;
    if (pda) {
      // PDA's native toast now, and a system notification (seen with the app in the background);
      // a handler that fails (an older PDA) leaves the page's own toast.
      Promise.resolve()
        .then(() =>
          pda('showToast', {
            text: `${n.title}: ${n.text}`,
            seconds: TOAST_MS / 1000,
            clickClose: true,
            bgColor: { a: 255, r: 61, g: 42, b: 18 },
            textColor: { a: 255, r: 255, g: 243, b: 221 },
          }),
        )
        .catch(() => {
          this.#toast(n);
          this.#beeper.beep();
        });
      Promise.resolve()
        .then(() =>
          pda('scheduleNotification', {
            title: n.title,
            subtitle: n.text,
            id: pdaNotificationId(n.tag),
            timestamp: Date.now() + 1000,
            overwriteID: true,
            launchNativeToast: false,
            urlCallback: location.href,
          }),
        )
        .catch(() => undefined);
      return;
    }
    if (this.#gm) {
      try {
        this.#gm({ title: n.title, text: n.text, tag: n.tag, timeout: TOAST_MS, onclick: () => window.focus() });
        return;
      } catch {
        /* the manager refused it: the page shows it instead */
      }
    }
    this.#toast(n);
    this.#beeper.beep();
  }

  #toast(n: Notice): void {
    for (const old of this.#list.querySelectorAll(`[data-tag="${CSS.escape(n.tag)}"]`)) old.remove();
    const box = el('div', { class: 'toast', 'data-tag': n.tag, role: 'alert' });
    const close = el('button', { type: 'button', 'aria-label': 'Dismiss alert' }, '✕');
    box.append(el('strong', {}, n.title), close, el('span', {}, n.text));
    close.addEventListener('click', () => box.remove());
    this.#list.append(box);
    setTimeout(() => box.remove(), TOAST_MS);
  }
}
