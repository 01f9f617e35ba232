import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import type { KeyVault } from '../auth/key-vault.js';
import type { TornClient } from '../torn/index.js';
import type { Hub } from '../realtime/hub.js';
import type { Heartbeat } from '../realtime/heartbeat.js';
import type { EventListener } from '../realtime/listener.js';
import type { WarSync } from '../sync/war-sync.js';
import type { Metrics } from '../metrics/index.js';

/** What every route and transport of one server node shares. */
export interface AppContext {
  readonly config: Config;
  readonly db: Database;
  readonly vault: KeyVault;
  readonly torn: TornClient;
  readonly hub: Hub;
  readonly heartbeat: Heartbeat;
  readonly listener: EventListener;
  readonly sync: WarSync;
  readonly log: Logger;
  readonly metrics: Metrics;
  /** Set on SIGTERM: new streams are refused so clients resume on another node. */
  shuttingDown: boolean;
}
