/**
 * The member's alerts on torn.com: a watched target about to leave hospital (or out early), the
 * chain about to break or near a bonus, and the enemy's chain growing or near a bonus, from the
 * client core's ExitAlerts, ChainAlerts and EnemyChainAlerts (each fires once per exit, drop or
 * chain, remembered across Torn's pages), given to the member by the Notifier.
 */
import type { AlertSettings } from '../core/alert-settings.js';
import { ChainAlerts, chainAlertText } from '../core/chain-alerts.js';
import { EnemyChainAlerts, enemyChainAlertText } from '../core/enemy-chain-alerts.js';
import { ExitAlerts, exitAlertText } from '../core/exit-alerts.js';
import type { Store } from '../core/storage.js';
import type { WarState } from '../core/war-state.js';
import type { Notifier } from './notifier.js';

export class Alerts {
  readonly #exits: ExitAlerts;
  readonly #chain: ChainAlerts;
  readonly #enemyChain: EnemyChainAlerts;
  readonly #notifier: Notifier;
  #state: WarState | null = null;

  constructor(notifier: Notifier, settings: AlertSettings, store: Store) {
    this.#notifier = notifier;
    this.#exits = new ExitAlerts({
      leadS: settings.exitLeadS,
      store,
      fire: (a) => {
        const state = this.#state;
        const text = state ? exitAlertText(a, state) : `${a.name} leaves hospital`;
        notifier.notify({
          title: a.kind === 'early' ? 'Out of hospital early' : 'Leaving hospital',
          text: `${text} [${a.targetId}]`,
          tag: `torncat-exit-${a.targetId}`,
        });
      },
    });
    this.#chain = new ChainAlerts({
      thresholdS: settings.chainThresholdS,
      store,
      fire: (a) =>
        notifier.notify({
          title: a.kind === 'timeout' ? 'Chain about to break' : 'Chain bonus ahead',
          text: chainAlertText(a),
          tag: `torncat-chain-${a.kind}`,
        }),
    });
    this.#enemyChain = new EnemyChainAlerts({
      hits: settings.enemyChainHits,
      store,
      fire: (a) =>
        notifier.notify({
          title: a.kind === 'growing' ? 'Their chain is growing' : 'Their chain nears a bonus',
          text: enemyChainAlertText(a, this.#state?.war?.enemy.name),
          tag: `torncat-enemy-chain-${a.kind}`,
        }),
    });
  }

  /** The member changed the settings: the next check uses them (what already fired stays fired). */
  update(settings: AlertSettings): void {
    this.#exits.leadS = settings.exitLeadS;
    this.#chain.thresholdS = settings.chainThresholdS;
    this.#enemyChain.hits = settings.enemyChainHits;
  }

  /** Fires what is due: on every change of the state and once a second. Signed out: null, nothing. */
  check(state: WarState | null): void {
    this.#state = state;
    if (!state) return;
    this.#exits.check(state);
    this.#chain.check(state);
    this.#enemyChain.check(state);
  }

  /** A sample alert, through the same channel as the real ones (and a tap that lets sound play). */
  test(): void {
    this.#notifier.notify({ title: 'TornCat test alert', text: 'Alerts reach you like this.', tag: 'torncat-test' });
  }
}
