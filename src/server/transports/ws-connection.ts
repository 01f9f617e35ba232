import type { Duplex } from 'node:stream';
import { WebSocket, type RawData } from 'ws';
import { AppError, toError } from '../../errors.js';
import type { AppContext } from '../app-context.js';
import { errorResponse } from '../error-response.js';
import { runMemberOps, spendAllowance } from '../member-ops.js';
import type { MemberStream } from './member-stream.js';
import { MAX_UNSENT_BYTES, WsSubscriber } from './subscribers.js';
import { readMessage, type Ref, type WsCommand } from './ws-commands.js';

/** Close code for "your session ended (sign-out, faction change, key removed): sign in again". */
export const CLOSE_SESSION_ENDED = 4401;
/** Commands a client may have waiting on one socket; more is a client that does not wait for answers. */
const MAX_QUEUED_COMMANDS = 32;
/** A ping with no payload (RFC 6455 §5.5.2: FIN, opcode 9, unmasked, length 0), as ws.ping() frames it. */
const PING_FRAME = Buffer.from([0x89, 0x00]);
/** Sent in place of an answer that could not be built (it never should: refs are bounded scalars). */
const UNANSWERABLE = JSON.stringify({
  type: 'result',
  ok: false,
  error: { code: 'internal_error', message: new AppError('internal_error').message },
});

/**
 * One open WebSocket: its subscription, its keep-alive, and its commands, run one at a time in
 * order, so a `resume` is done before the next command starts and the socket never holds two
 * subscriptions. Answers go out on the socket events go out on, and count against the same bound.
 */
export class WsConnection {
  readonly #ctx: AppContext;
  readonly #stream: MemberStream;
  readonly #ws: WebSocket;
  readonly #socket: Duplex;
  #sub: WsSubscriber | undefined;
  /** Answered the last ping. Only a pong counts: a client that writes may still never read. */
  #alive = true;
  #closed = false;
  #queue: Promise<void> = Promise.resolve();
  #queued = 0;
  readonly #stopBeat: () => void;

  constructor(ctx: AppContext, stream: MemberStream, ws: WebSocket, socket: Duplex) {
    this.#ctx = ctx;
    this.#stream = stream;
    this.#ws = ws;
    this.#socket = socket;
    this.#stopBeat = ctx.heartbeat.add(() => this.#beat());
    ws.on('pong', () => (this.#alive = true));
    ws.on('close', () => this.#onClose());
    ws.on('error', () => ws.terminate());
    ws.on('message', (raw: RawData, isBinary: boolean) => this.#onMessage(raw, isBinary));
  }

  /** Subscribes from `from` (the upgrade's `lastEventId`): the first job of the queue. */
  start(from: number | undefined): void {
    this.#enqueue(async () => {
      try {
        await this.#subscribe(from);
      } catch (e) {
        this.#ctx.log.warn({ err: toError(e) }, 'could not start a WebSocket stream');
        this.#ws.close(1011, 'could not start the stream');
      }
    });
  }

  /**
   * The same two bytes to every socket, in one write: ws.ping() frames each ping anew and writes its
   * header and empty payload as two corked writes, and a heartbeat tick pings a share of every socket.
   */
  #beat(): void {
    if (!this.#alive) return this.#ws.terminate();
    this.#alive = false;
    if (this.#ws.readyState === WebSocket.OPEN && !this.#socket.destroyed) this.#socket.write(PING_FRAME);
  }

  #onClose(): void {
    this.#closed = true;
    this.#stopBeat();
    if (this.#sub) this.#sub.current = false;
    this.#stream.close();
  }

  #onMessage(raw: RawData, isBinary: boolean): void {
    if (this.#queued >= MAX_QUEUED_COMMANDS) {
      this.#ws.close(1008, `at most ${MAX_QUEUED_COMMANDS} commands may wait for their answer`);
      return;
    }
    this.#enqueue(() => this.#run(raw, isBinary));
  }

  /** Every job's failure is handled here: a command can fail, never the process. */
  #enqueue(work: () => Promise<void>): void {
    this.#queued++;
    this.#queue = this.#queue
      .then(work)
      .catch((e) => {
        this.#ctx.log.error({ err: toError(e) }, 'WebSocket command failed');
        this.#ws.terminate();
      })
      .finally(() => this.#queued--);
  }

  /** Replaces the socket's subscription with one from `from`. */
  async #subscribe(from: number | undefined): Promise<void> {
    if (this.#sub) this.#sub.current = false;
    const { member } = this.#stream;
    this.#sub = new WsSubscriber(member.factionId, this.#ws, this.#socket, (unsent) => this.#tooSlow(unsent));
    await this.#stream.subscribe(this.#sub, from);
  }

  #tooSlow(unsent: number): void {
    this.#ctx.log.warn({ playerId: this.#stream.member.playerId, unsent }, 'WebSocket client too slow: disconnecting it');
    this.#ctx.metrics.realtime.cutUnsent('websocket');
    this.#ws.terminate();
  }

  async #run(raw: RawData, isBinary: boolean): Promise<void> {
    if (this.#closed) return;
    const { ref, command } = readMessage(raw, isBinary);
    try {
      // Every command counts, and every one asks the database whether its session still stands.
      await spendAllowance(this.#ctx, this.#stream.member);
      if (!(await this.#sessionStands(ref))) return;
      if (command instanceof AppError) throw command;
      await this.#do(command, ref);
    } catch (e) {
      const { body } = errorResponse(e, this.#ctx.log);
      this.#reply({ type: 'result', ref, ok: false, error: body.error });
    }
  }

  async #do(command: WsCommand, ref: Ref): Promise<void> {
    if (command.type === 'ping') return this.#reply({ type: 'pong', ref });
    if (command.type === 'resume') {
      await this.#subscribe(command.from);
      return this.#reply({ type: 'result', ref, ok: true });
    }
    const { results, seq } = await runMemberOps(this.#ctx, this.#stream.member, [command.op]);
    this.#reply({ type: 'result', ref, ...results[0], seq });
  }

  /** Rights are the database's, now: a session that ended since the upgrade is answered and ends the socket. */
  async #sessionStands(ref: Ref): Promise<boolean> {
    try {
      await this.#stream.recheck();
      return true;
    } catch (e) {
      if (!(e instanceof AppError) || (e.code !== 'unauthorized' && e.code !== 'key_disabled')) throw e;
      const { body } = errorResponse(e, this.#ctx.log);
      this.#reply({ type: 'result', ref, ok: false, error: body.error });
      this.#ws.close(CLOSE_SESSION_ENDED, 'session ended: sign in again');
      return false;
    }
  }

  /**
   * Sends an answer. Answers share the socket with events and count against the same bound: a
   * client that sends commands and does not read their answers is cut like one that does not read events.
   */
  #reply(msg: Record<string, unknown>): void {
    if (this.#ws.readyState !== WebSocket.OPEN) return;
    const unsent = this.#socket.writableLength;
    if (unsent > MAX_UNSENT_BYTES) return this.#tooSlow(unsent);
    let text: string;
    try {
      text = JSON.stringify(msg);
    } catch (e) {
      this.#ctx.log.error({ err: toError(e) }, 'could not build a WebSocket answer');
      text = UNANSWERABLE;
    }
    this.#ws.send(text);
  }
}
