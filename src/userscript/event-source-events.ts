import type { WarEvent } from './war-state.js';

/** The named events of GET /events (DESIGN "Realtime"). */
export const EVENT_NAMES = ['target_call', 'target_status', 'war_summary', 'war', 'reset'];

/** Hands every named event a native EventSource receives to `deliver`, parsed; a frame that is not JSON is dropped. */
export function onEventSourceEvents(es: EventSource, deliver: (ev: WarEvent) => void): void {
  for (const name of EVENT_NAMES) {
    es.addEventListener(name, (m) => {
      const msg = m as MessageEvent<string>;
      let data: unknown;
      try {
        data = JSON.parse(msg.data);
      } catch {
        return;
      }
      deliver({ id: Number(msg.lastEventId), event: name, data } as WarEvent);
    });
  }
}
