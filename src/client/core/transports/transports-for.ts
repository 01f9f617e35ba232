import type { RungName } from '../../../protocol/userscript-config.js';
import { EventSourceTransport } from './event-source-transport.js';
import { GmStreamTransport } from './gm-stream-transport.js';
import { LongPollTransport } from './long-poll-transport.js';
import { PollTransport } from './poll-transport.js';
import type { Transport, TransportHost } from './transport.js';

const TRANSPORTS: Record<RungName, new (host: TransportHost) => Transport> = {
  eventsource: EventSourceTransport,
  'gm-stream': GmStreamTransport,
  'long-poll': LongPollTransport,
  poll: PollTransport,
};

/** The transports of a ladder, in the order given (best first). */
export function transportsFor(names: readonly RungName[], host: TransportHost): Transport[] {
  return names.map((name) => new TRANSPORTS[name](host));
}
