import { readAlertSettings, writeAlertSetting, MAX_ALERT_S, type AlertSettings } from '../core/alert-settings.js';
import { ChainAlerts, chainAlertText } from '../core/chain-alerts.js';
import { byId } from '../core/dom.js';
import { ExitAlerts, exitAlertText } from '../core/exit-alerts.js';
import type { Store } from '../core/storage.js';
import type { WarState } from '../core/war-state.js';
import { Notifier } from './notifier.js';

/**
 * The board's alerts and their settings box: exit alerts of watched targets and the chain's alerts,
 * checked on every change and every second, told through the Notifier; the member sets the lead
 * time and the chain threshold (kept on this device) and allows notifications with a click.
 */
export class AlertBox {
  readonly #notifier = new Notifier();
  readonly #exits: ExitAlerts;
  readonly #chain: ChainAlerts;
  #state: WarState | undefined;

  constructor(store: Store, error: (text: string) => void) {
    const settings = readAlertSettings(store);
    this.#exits = new ExitAlerts({
      leadS: settings.exitLeadS,
      store,
      fire: (a) =>
        this.#notifier.notify(
          a.kind === 'early' ? 'Out early' : 'Leaving hospital',
          this.#state ? exitAlertText(a, this.#state) : a.name,
          `exit-${a.targetId}-${a.until}`,
        ),
    });
    this.#chain = new ChainAlerts({
      thresholdS: settings.chainThresholdS,
      store,
      fire: (a) => this.#notifier.notify(a.kind === 'timeout' ? 'Chain timeout' : 'Chain bonus', chainAlertText(a), `chain-${a.kind}`),
    });
    const inputs: [keyof AlertSettings, string][] = [
      ['exitLeadS', 'lead'],
      ['chainThresholdS', 'chain-threshold'],
    ];
    for (const [name, id] of inputs) {
      const input = byId<HTMLInputElement>(id);
      input.max = String(MAX_ALERT_S);
      input.value = String(settings[name]);
      input.addEventListener('change', () => {
        if (!writeAlertSetting(store, name, input.value)) {
          error(`Alert times are whole seconds from 1 to ${MAX_ALERT_S}`);
          input.value = String(readAlertSettings(store)[name]);
          return;
        }
        const n = readAlertSettings(store)[name];
        if (name === 'exitLeadS') this.#exits.leadS = n;
        else this.#chain.thresholdS = n;
        if (this.#state) this.check(this.#state);
      });
    }
    byId('notify').addEventListener('click', () => {
      void this.#notifier.ask().then(() => this.#showMode());
    });
    this.#showMode();
  }

  check(state: WarState): void {
    this.#state = state;
    this.#exits.check(state);
    this.#chain.check(state);
  }

  #showMode(): void {
    const n = this.#notifier;
    const text = !n.supported
      ? 'This browser has no notifications: alerts show on this page.'
      : Notification.permission === 'granted'
        ? 'Notifications on.'
        : Notification.permission === 'denied'
          ? 'Notifications blocked in this browser: alerts show on this page.'
          : 'Alerts show on this page; allow notifications to get them in other tabs too.';
    byId('notify-state').textContent = text;
    byId('notify').hidden = !n.supported || Notification.permission !== 'default';
  }
}
