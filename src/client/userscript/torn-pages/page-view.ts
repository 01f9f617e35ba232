/**
 * What the client core draws on torn.com: the floating panel, and inside Torn's own pages the call
 * state of each enemy row (the war page) or of the one target (attack page, profile), and the
 * member's alerts. One WarView for the core, handed on to each.
 */
import type { RungName } from '../../../protocol/userscript-config.js';
import type { RungState } from '../../core/ladder.js';
import type { WarView } from '../../core/war-client.js';
import type { WarState } from '../../core/war-state.js';
import type { Alerts } from '../alerts.js';
import type { Panel } from '../panel.js';
import type { TargetBar } from './target-bar.js';
import type { WarListDecorator } from './war-list.js';

export class PageView implements WarView {
  readonly #panel: Panel;
  readonly #list: WarListDecorator;
  readonly #bar: TargetBar | null;
  readonly #alerts: Alerts;
  #signedIn = false;
  /** The member opened the panel from the bar on this page. */
  #panelWanted = false;

  constructor(panel: Panel, list: WarListDecorator, bar: TargetBar | null, alerts: Alerts) {
    this.#alerts = alerts;
    this.#panel = panel;
    this.#list = list;
    this.#bar = bar;
    list.onDecoratedChange(() => this.#placePanel());
  }

  /** The bar's button: shows or hides the panel on a page that keeps it out of the way. */
  togglePanel(): void {
    this.#panelWanted = !this.#panelWanted;
    this.#placePanel();
  }

  render(state: WarState): void {
    this.#panel.render(state);
    this.#list.render(this.#signedIn ? state : null);
    this.#bar?.render(this.#signedIn ? state : null);
    this.#alerts.check(this.#signedIn ? state : null);
    this.#placePanel();
  }

  tick(state: WarState): void {
    this.#panel.tick(state);
    if (!this.#signedIn) return;
    this.#list.render(state);
    this.#bar?.render(state);
    this.#alerts.check(state);
    this.#placePanel();
  }

  error(text: string): void {
    this.#panel.error(text);
    if (!this.#panel.host.hidden) return;
    // The panel is out of the way: its message would go unseen, so it comes back to say it.
    this.#panelWanted = true;
    this.#placePanel();
  }

  info(text: string): void {
    this.#panel.info(text);
  }

  clearMessage(): void {
    this.#panel.clearMessage();
  }

  rung(name: RungName | null, state: RungState, note?: string): void {
    this.#panel.rung(name, state, note);
  }

  signedIn(who: string | undefined): void {
    this.#signedIn = true;
    this.#panel.signedIn(who);
    this.#placePanel();
  }

  signedOut(): void {
    this.#signedIn = false;
    this.#panel.signedOut();
    this.#list.render(null);
    this.#bar?.render(null);
    this.#placePanel();
  }

  /** On the attack page and a target's profile, the bar stands in for the panel, which would cover Torn's buttons on a phone. */
  #placePanel(): void {
    const barInstead = !!this.#bar?.shown && this.#signedIn && !this.#panelWanted;
    this.#panel.setHidden(barInstead);
    // On the war page Torn's own rows carry the calls, and on an attack page or a profile of someone
    // who is no target the panel has no business over Torn's buttons: it keeps to its tab at the edge there.
    this.#panel.setCompact(this.#signedIn && (this.#list.decorated > 0 || this.#bar !== null));
  }
}
