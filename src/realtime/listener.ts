import type { Logger } from 'pino';
import type { Database, Listener } from '../db/database.js';
import { backoffDelay } from '../backoff.js';
import { toError } from '../errors.js';
import type { Hub } from './hub/hub.js';

export const EVENTS_CHANNEL = 'torncat_events';

export interface EventListenerOptions {
  db: Database;
  hub: Hub;
  log: Logger;
  /** The safety net: how often the hub asks the log for anything NOTIFY did not announce. @default 5000 */
  catchUpIntervalMs?: number;
  /**
   * Sessions were deleted or lost their faction (the database says so on the same channel):
   * the player's, or everyone's when `playerId` is null (many at once, or NOTIFYs may have been
   * missed while disconnected). Open streams re-check their sessions.
   */
  onSessionsChanged?: (playerId: number | null) => void;
}

/**
 * The node's one LISTEN connection. NOTIFY only wakes the hub; on every (re)connect, and on a slow
 * timer, the hub catches up from the log, so notifications lost while disconnected lose nothing.
 */
export class EventListener {
  #o: EventListenerOptions;
  #listener: Listener | undefined;
  #timer: NodeJS.Timeout | undefined;
  #retry: NodeJS.Timeout | undefined;
  #attempt = 0;
  #stopped = false;
  /** Connected and listening (health and metrics). */
  listening = false;

  constructor(o: EventListenerOptions) {
    this.#o = o;
  }

  async start(): Promise<void> {
    this.#timer = setInterval(() => {
      this.#o.hub.catchUp().catch((e) => this.#o.log.warn({ err: toError(e) }, 'event log catch-up failed'));
      // Without LISTEN (a pooler that cannot, or the connection is down) no revocation is announced:
      // the open streams re-check their sessions on this timer instead.
      if (!this.listening) this.#o.onSessionsChanged?.(null);
    }, this.#o.catchUpIntervalMs ?? 5000);
    this.#timer.unref();
    await this.#connect();
  }

  async #connect(): Promise<void> {
    if (this.#stopped) return;
    let listener: Listener;
    try {
      listener = await this.#o.db.listen(EVENTS_CHANNEL, {
        onNotify: (payload) => this.#onNotify(payload),
        // Only the connection in use may trigger a reconnect: a stale one would start a second.
        onError: (e) => {
          if (this.#listener === listener) this.#lost(e);
        },
      });
    } catch (e) {
      const err = toError(e);
      if (this.#attempt === 0) {
        this.#o.log.warn(
          { err },
          'LISTEN failed: realtime falls back to reading the event log every few seconds. On Supabase use the direct or session connection (port 5432), not the transaction pooler (6543)',
        );
      }
      this.#lost(err);
      return;
    }
    // stop() ran while we connected: nobody will close this connection but us.
    if (this.#stopped) {
      await listener.close().catch(() => {});
      return;
    }
    this.#listener = listener;
    this.listening = true;
    if (this.#attempt > 0) this.#o.log.info({ attempts: this.#attempt }, 'LISTEN connection restored');
    this.#attempt = 0;
    // Revocations NOTIFYed while we were away are lost like events: re-check every stream.
    this.#o.onSessionsChanged?.(null);
    // The connection is fine even if this read fails (the database may have gone again): the
    // catch-up timer reads what we missed, and a lost connection reports itself through onError.
    await this.#o.hub.catchUp().catch((e) => this.#o.log.warn({ err: toError(e) }, 'event log catch-up after LISTEN (re)connected failed'));
  }

  #onNotify(payload: string): void {
    try {
      const msg = JSON.parse(payload) as { factionId?: unknown; seq?: unknown; sessions?: unknown };
      if ('sessions' in msg) {
        this.#o.onSessionsChanged?.(Number.isInteger(msg.sessions) ? (msg.sessions as number) : null);
        return;
      }
      if (Number.isInteger(msg.factionId) && Number.isInteger(msg.seq)) this.#o.hub.wake(msg.factionId as number, msg.seq as number);
    } catch {
      this.#o.log.warn({ payload: payload.slice(0, 200) }, 'ignoring a malformed NOTIFY payload');
    }
  }

  #lost(e: Error): void {
    this.listening = false;
    this.#listener = undefined;
    if (this.#stopped || this.#retry) return;
    // Jittered, so many nodes that lost the database together don't reconnect in step.
    const delay = backoffDelay(this.#attempt, { baseMs: 500, maxMs: 30_000 });
    this.#attempt++;
    this.#o.log.warn({ err: e, retryInMs: Math.round(delay) }, 'LISTEN connection lost; reconnecting');
    this.#retry = setTimeout(() => {
      this.#retry = undefined;
      void this.#connect();
    }, delay);
    this.#retry.unref();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#timer);
    clearTimeout(this.#retry);
    this.listening = false;
    await this.#listener?.close();
  }
}
