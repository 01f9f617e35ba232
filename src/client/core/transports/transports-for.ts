import type { RungName } from '../../../protocol/userscript-config.js';
import { EventSourceTransport } from './event-source-transport.js';
import { GmStreamTransport } from './gm-stream-transport.js';
import { LongPollTransport } from './long-poll-transport.js';
import { PollTransport } from './poll-transport.js';
import type { Rung, Transport, TransportHost } from './transport.js';

/** A transport class: it says what it is (`rung`) before any is made. */
interface TransportClass {
  readonly rung: Rung;
  new (host: TransportHost): Transport;
}

/** Every transport, by the name the protocol gives its rung (protocol/userscript-config.ts): a new transport is its class and a line here. */
const TRANSPORTS: Record<RungName, TransportClass> = {
  eventsource: EventSourceTransport,
  'gm-stream': GmStreamTransport,
  'long-poll': LongPollTransport,
  poll: PollTransport,
};

/** The transports of a ladder, in the order given (best first). */
export function transportsFor(names: readonly RungName[], host: TransportHost): Transport[] {
  return names.map((name) => new TRANSPORTS[name](host));
}

/** What the board and the panel call a rung. */
export function rungLabel(name: RungName): string {
  return TRANSPORTS[name].rung.label;
}
