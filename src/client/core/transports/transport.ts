import type { WarEvent } from '../../../protocol/events.js';
import type { Snapshot } from '../../../protocol/snapshot.js';
import type { RungName } from '../../../protocol/userscript-config.js';
import type { TornCatApi } from '../api.js';

/** What every transport needs from the client around it. */
export interface TransportHost {
  readonly api: TornCatApi;
  /** The server's base URL. */
  readonly server: string;
  token(): string | null;
  /** The id of the last event applied (the snapshot's seq at first): every transport resumes from it. */
  lastSeq(): number;
  /** Applies events in order (re-reading the snapshot when they say so). */
  deliver(events: WarEvent[]): void;
  /** Loads a snapshot read by the polling transport. */
  snapshot(s: Snapshot): void;
  /** Is there an active war (polling slows down without one)? */
  atWar(): boolean;
  readonly syncIntervalMs: number;
  readonly warCheckIntervalMs: number;
}

/** How a connection ended. */
export interface TransportEnd {
  /** Did it deliver (or was it ready to) before it ended? */
  live: boolean;
  /** The HTTP status that ended it, when one did (401: the session is over). */
  status?: number;
  error?: string;
  /** The page's policy (CSP) refused it: it cannot work on this page, so it is not tried here again for a while. */
  blocked?: boolean;
}

/** What a transport is, as the ladder and the member see it. */
export interface Rung {
  readonly name: RungName;
  /** What the board and the panel call it. */
  readonly label: string;
  /** Does it stream (events as they come, over one long response)? Streams are probed beside a whole-answer rung, which delivers meanwhile. */
  readonly streams: boolean;
}

/** One way to receive the faction's events; the Ladder picks among them. Each class says what it is in a static `rung`. */
export interface Transport {
  readonly rung: Rung;
  /**
   * Does it keep a request of the page's Http hanging? Some userscript managers (Tampermonkey under
   * MV3) serialize their requests, so a call would wait behind it: the ladder pauses it for calls.
   */
  readonly holdsHttp: boolean;
  /** Connects from the host's last id and delivers until the connection ends or `signal` aborts; `live()` once it works. */
  run(signal: AbortSignal, live: () => void): Promise<TransportEnd>;
}

/** How long a stream may stay silent before it counts as dead (the server's heartbeat is 15 s). */
export const SILENCE_MS = 45_000;
/** How long a new stream may take to show its first bytes before the transport counts as unusable here. */
export const FIRST_BYTES_MS = 8_000;
