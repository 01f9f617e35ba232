import type { Travel } from './intel.js';

/** An enemy member of the current war, as Torn last reported them. */
export interface Target {
  id: number;
  name: string;
  level: number;
  status: TargetStatus;
  lastAction: LastAction;
  /** Torn's `is_revivable` and `has_early_discharge`; null when Torn did not say. */
  isRevivable: boolean | null;
  hasEarlyDischarge: boolean | null;
  /** Where the target flies or stays abroad; null in Torn City. */
  travel: Travel | null;
  /** The country of a hospital abroad: such a target is not "out soon" for members in Torn City. */
  hospitalCountry: string | null;
  /** When the target last left hospital before its `until` (Torn's clock); null if never seen. */
  earlyExitAt: number | null;
  /** torn.com's profile and attack pages. */
  links: { profile: string; attack: string };
}

export interface TargetStatus {
  /** Torn's: Okay, Hospital, Traveling, Abroad, Jail, Federal, Fallen, … */
  state: string;
  description: string;
  /** '' when Torn gives none. */
  details: string;
  /** End of a hospital, jail or travel stay, on Torn's clock (Unix seconds); null when it has none. */
  until: number | null;
}

export interface LastAction {
  /** Online, Idle, Offline. */
  status: string | null;
  timestamp: number | null;
}
