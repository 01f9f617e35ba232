import { AppError } from '../../errors.js';
import { tokenDigest } from '../../auth/sessions.js';
import type { Subscriber } from '../../realtime/hub/hub.js';
import type { AppContext } from '../app-context.js';
import type { Member } from '../../auth/sessions.js';
import { authenticate, requireToken } from '../authenticate.js';
import type { Registration } from '../open-streams.js';

/** Why the node ends a stream: its session ended (sign in again), or this node stops (resume elsewhere). */
export type EndReason = 'revoked' | 'shutdown';

export interface MemberStreamRequest {
  token: string | undefined;
  /** The client's address, for the per-address cap. */
  ip: string;
  /** The node ends the stream. Called at most once, and only once open() has resolved. */
  onEnd(reason: EndReason): void;
}

/** The answer to a stream whose session ended while it opened, or to a long-poll whose session ended while it waited. */
export function sessionEnded(): AppError {
  return new AppError('unauthorized', 'Your session ended (signed out, left the faction, or key removed): sign in again');
}

/**
 * A member's stream on any transport (an SSE response, a WebSocket, a waiting long-poll): checked,
 * capped, ended with its session, and subscribed to the faction's events.
 *
 * It is registered in the node's open streams *before* its token is checked. A session that ends
 * after the check triggers a re-check of the registry, which then holds this stream; one that ended
 * before fails the check. No order of events leaves it open past its session.
 */
export class MemberStream {
  readonly #ctx: AppContext;
  readonly #onEnd: (reason: EndReason) => void;
  #registration: Registration | undefined;
  #token: string | undefined;
  #member: Member | undefined;
  /** Set once open() has resolved: from then on an end is the transport's to carry out. */
  #live = false;
  #endReason: EndReason | undefined;
  #detach: (() => void) | undefined;
  #closed = false;

  private constructor(ctx: AppContext, onEnd: (reason: EndReason) => void) {
    this.#ctx = ctx;
    this.#onEnd = onEnd;
  }

  /** Registers, then authenticates; throws the refusal (401, 429 for a cap, 503 shutting down) having kept nothing. */
  static async open(ctx: AppContext, r: MemberStreamRequest): Promise<MemberStream> {
    const stream = new MemberStream(ctx, r.onEnd);
    try {
      await stream.#start(r.token, r.ip);
    } catch (e) {
      stream.close();
      throw e;
    }
    return stream;
  }

  async #start(unchecked: string | undefined, ip: string): Promise<void> {
    if (this.#ctx.shuttingDown) throw new AppError('shutting_down');
    const token = requireToken(unchecked);
    this.#token = token;
    this.#registration = await this.#ctx.streams.open({
      digest: tokenDigest(token).toString('hex'),
      ip,
      end: (reason) => this.#end(reason),
    });
    // The caps may be counted in another process: the node may have begun to stop meanwhile.
    if (this.#ctx.shuttingDown) throw new AppError('shutting_down');
    const member = await authenticate(this.#ctx, token);
    if (this.#endReason === 'revoked') throw sessionEnded();
    if (this.#endReason === 'shutdown') throw new AppError('shutting_down');
    this.#member = member;
    this.#registration.identify(member.playerId);
    this.#live = true;
  }

  #end(reason: EndReason): void {
    if (this.#endReason !== undefined) return;
    this.#endReason = reason;
    if (this.#live) this.#onEnd(reason);
  }

  /** The member behind the stream. */
  get member(): Member {
    if (!this.#member) throw new Error('MemberStream.member read before open() resolved');
    return this.#member;
  }

  /** Asks the database again whether the stream's session stands (throws `unauthorized` or `key_disabled` when not). */
  async recheck(): Promise<void> {
    await authenticate(this.#ctx, this.#token);
  }

  /** Why the node ended the stream; undefined while it has not. */
  get endReason(): EndReason | undefined {
    return this.#endReason;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Subscribes `sub` to the faction's events from `from`, in place of the stream's current subscription. */
  async subscribe(sub: Subscriber, from: number | undefined): Promise<void> {
    this.#detach?.();
    this.#detach = undefined;
    const detach = await this.#ctx.hub.subscribe(sub, from);
    if (this.#closed) detach();
    else this.#detach = detach;
  }

  /** Unsubscribes and leaves the registry (idempotent): the transport closes its connection itself. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#detach?.();
    this.#detach = undefined;
    this.#registration?.release();
  }
}
