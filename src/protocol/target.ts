/** An enemy member of the current war, as Torn last reported them. */
export interface Target {
  id: number;
  name: string;
  level: number;
  status: TargetStatus;
  lastAction: LastAction;
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
