import type { Queryable } from '../../src/db/database.js';
import { appendEvent, type EventName } from '../../src/realtime/event-log.js';

/**
 * Appends an event whose data is a marker the test reads back (`{ i: 3 }`), not the event's real
 * shape: tests of the event log, the hub and the transports check order, ids and bytes, which do
 * not depend on what an event says. Code that writes real events uses `appendEvent`, typed by name.
 */
export function appendMarker(tx: Queryable, factionId: number, event: EventName, marker: Record<string, unknown>): Promise<number> {
  return appendEvent(tx, factionId, event, marker as never);
}
