import { ALERT_SETTING_MAX, readAlertSettings, writeAlertSetting, type AlertSettings } from '../core/alert-settings.js';
import { ChainAlerts, chainAlertText } from '../core/chain-alerts.js';
import { byId } from '../core/dom.js';
import { EnemyChainAlerts, enemyChainAlertText } from '../core/enemy-chain-alerts.js';
import { ExitAlerts, exitAlertText } from '../core/exit-alerts.js';
import type { Store } from '../core/storage.js';
import type { WarState } from '../core/war-state.js';
import { Notifier } from './notifier.js';

/**
 * The board's alerts and their settings box: exit alerts of watched targets, our chain's alerts and
 * the enemy chain's, checked on every change and every second, told through the Notifier; the member
 * sets the lead time, the chain threshold and the enemy chain's size (kept on this device) and
 * allows notifications with a click.
 */
export class AlertBox {
  readonly #notifier = new Notifier();
  readonly #exits: ExitAlerts;
  readonly #chain: ChainAlerts;
  readonly #enemyChain: EnemyChainAlerts;
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
    this.#enemyChain = new EnemyChainAlerts({
      hits: settings.enemyChainHits,
      store,
      fire: (a) =>
        this.#notifier.notify(
          a.kind === 'growing' ? 'Their chain' : 'Their chain bonus',
          enemyChainAlertText(a, this.#state?.war?.enemy.name),
          `enemy-chain-${a.kind}`,
        ),
    });
    const inputs: [keyof AlertSettings, string, string][] = [
      ['exitLeadS', 'lead', 'Alert times are whole seconds'],
      ['chainThresholdS', 'chain-threshold', 'Alert times are whole seconds'],
      ['enemyChainHits', 'enemy-chain-hits', "Their chain's size is a whole number of hits"],
    ];
    for (const [name, id, what] of inputs) {
      const input = byId<HTMLInputElement>(id);
      input.max = String(ALERT_SETTING_MAX[name]);
      input.value = String(settings[name]);
      input.addEventListener('change', () => {
        if (!writeAlertSetting(store, name, input.value)) {
          error(`${what} from 1 to ${ALERT_SETTING_MAX[name]}`);
          input.value = String(readAlertSettings(store)[name]);
          return;
        }
        const n = readAlertSettings(store)[name];
        if (name === 'exitLeadS') this.#exits.leadS = n;
        else if (name === 'chainThresholdS') this.#chain.thresholdS = n;
        else this.#enemyChain.hits = n;
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
    this.#enemyChain.check(state);
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
