// War intelligence on the wire: travel, chain, leader marks, assists and watches. Each is server
// state (in the snapshot) and an event (in the faction's log, on every transport).

/** Torn's four tickets: airliner (standard), private island airstrip, WLT private jet, business class. */
export type TicketClass = 'standard' | 'airstrip' | 'private' | 'business';

/**
 * A target's journey, read from Torn's status and timed with Torn's published flight times for the
 * ticket the plane tells (`status.plane_image_type`).
 * `outbound`: flying to `destination`; `abroad`: landed there (or in hospital there);
 * `returning`: flying back to Torn City from `destination`.
 */
export interface Travel {
  /** A Torn country name as Torn writes it ("Mexico", "United Kingdom", …). */
  destination: string;
  direction: 'outbound' | 'abroad' | 'returning';
  /**
   * The ticket the plane tells (light aircraft: `airstrip`, private jet: `private`); null when it
   * does not tell one: an airliner flies both `standard` and `business`, and a missing or unknown
   * plane could be any of the four. Always null when abroad.
   */
  ticket: TicketClass | null;
  /**
   * Landing time on Torn's clock (Unix seconds), counted from when TornCat first saw the flight: for
   * the ticket when it is known, else for the slowest ticket the plane allows; null when abroad or
   * when the departure was not seen.
   */
  eta: number | null;
  /** Landing time for the fastest ticket the plane allows: the target may land from here on (= `eta` when the ticket is known). */
  earliestEta: number | null;
}

/** The faction's chain as Torn reports it (`/v2/faction/{id}/chain`). Times are Unix seconds, Torn's clock. */
export interface Chain {
  factionId: number;
  current: number;
  max: number;
  /** Seconds left before the chain breaks, as of `at`; 0 when there is no chain. */
  timeout: number;
  /** Seconds of cooldown left, as of `at`. */
  cooldown: number;
  modifier: number;
  start: number;
  end: number;
  /** When Torn answered (Torn's clock): `timeout` counts down from here. */
  at: number;
  /** The next bonus hit (10, 25, 50, 100, 250, …) above `current`. */
  nextBonus: number;
}

export type MarkKind = 'priority' | 'avoid' | 'note';

/** A leader's mark on a target. */
export interface TargetMark {
  targetId: number;
  mark: MarkKind;
  /** Short free text; always present for `note`, optional for the others. */
  note: string | null;
  by: { id: number; name: string };
  /** Unix seconds, Torn's clock. */
  at: number;
}

/** "Help me on X": raised by a member, shown to all until it expires. */
export interface Assist {
  targetId: number;
  targetName: string;
  requester: { id: number; name: string };
  at: number;
  expiresAt: number;
}
