import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import type { KeyVault } from '../auth/key-vault.js';
import type { TornClient, TornClock } from '../torn/index.js';
import type { Hub } from '../realtime/hub/hub.js';
import type { Heartbeat } from '../realtime/heartbeat.js';
import type { EventListener } from '../realtime/listener.js';
import type { WarSync } from '../sync/war-sync.js';
import type { DiscordSender } from '../discord/sender.js';
import type { Metrics } from '../metrics/index.js';
import type { OpenStreams } from './open-streams.js';
import type { RecentlyRejected } from '../auth/sign-in.js';
import type { AddressLimiter, Allowance } from './rate-limiter.js';

/** What every route and transport of one server node shares. */
export interface AppContext {
  readonly config: Config;
  readonly db: Database;
  readonly vault: KeyVault;
  /** The members' Torn client (sign-in): each request is counted in the egress address's budget. The sync has its own. */
  readonly torn: TornClient;
  /** Torn's clock as this node knows it: its war sync teaches it, the war code shows times on it. */
  readonly clock: TornClock;
  readonly hub: Hub;
  readonly heartbeat: Heartbeat;
  readonly listener: EventListener;
  readonly sync: WarSync;
  /** Posts the faction's Discord outbox (every node runs one; one node posts per faction). */
  readonly discord: DiscordSender;
  readonly log: Logger;
  readonly metrics: Metrics;
  /** Every open stream of this node, by session and address (caps, and closing revoked ones). */
  readonly streams: OpenStreams;
  readonly limits: {
    /** Sign-in attempts per client address. */
    readonly signIn: Allowance;
    /** Keys Torn rejected lately, not sent to Torn again for a while. */
    readonly rejectedKeys: RecentlyRejected;
    /** Torn checks of keys no node holds, per egress address (every node sending from it together). */
    readonly unknownKeyChecks: AddressLimiter;
    /** Member operations and WebSocket commands per member, over HTTP and WebSocket together. */
    readonly callOps: Allowance;
  };
  /** Set on SIGTERM: new streams are refused so clients resume on another node. */
  shuttingDown: boolean;
}
