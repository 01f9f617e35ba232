import type { WarEvent } from '../../protocol/events.js';
import type { TornCatApi } from './api.js';
import type { WarState } from './war-state.js';

export interface EventPumpOptions {
  api: TornCatApi;
  state: WarState;
  render(): void;
  error(message: string): void;
}

/**
 * Applies realtime events to the board one at a time, in order, whatever transport brought them.
 * A snapshot re-read that an event asks for (reset, new war, gap) happens in line, before the next
 * event is applied.
 */
export class EventPump {
  #queue: WarEvent[] = [];
  #pumping = false;
  readonly #o: EventPumpOptions;

  constructor(o: EventPumpOptions) {
    this.#o = o;
  }

  /** Re-reads GET /api/war past the cache. */
  async loadSnapshot(): Promise<void> {
    this.#o.api.cache.invalidate('war');
    this.#o.state.loadSnapshot(await this.#o.api.snapshot());
  }

  push(...events: WarEvent[]): void {
    this.#queue.push(...events);
    void this.#pump();
  }

  /** Signed out: what was queued belongs to nobody now. */
  clear(): void {
    this.#queue = [];
  }

  async #pump(): Promise<void> {
    if (this.#pumping) return;
    this.#pumping = true;
    try {
      while (this.#queue.length) {
        const ev = this.#queue.shift() as WarEvent;
        this.#o.api.cache.onEvent(ev.event);
        if (this.#o.state.apply(ev) === 'resnapshot') {
          try {
            await this.loadSnapshot();
          } catch (e) {
            this.#o.error(`Could not re-read the war: ${(e as Error).message}`);
          }
        }
      }
    } finally {
      this.#pumping = false;
      this.#o.render();
    }
  }
}
