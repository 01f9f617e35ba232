import { SseClient, WsClient, type StreamEvent } from './stream-clients.js';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** An answer that refused to open a stream (the server or its database is away): status and error code. */
export interface Refusal {
  status: number;
  code: string | undefined;
}

/**
 * A stream client that behaves as the userscript and the board do: when its stream ends, or cannot
 * open, it waits a moment and opens a new one from the last id it has. `events` holds what every
 * connection delivered, in order: across any number of reconnects it must read as one stream.
 */
export class ResumingStream {
  readonly kind: 'sse' | 'ws' | 'poll';
  readonly refusals: Refusal[] = [];
  /** Streams opened (1 when the first never broke). */
  connections = 0;
  #done: StreamEvent[] = [];
  #current: SseClient | WsClient | undefined;
  #stopped = false;
  // Ends a waiting long-poll at stop(), as a closed browser tab would.
  #abort = new AbortController();
  #loop: Promise<void>;
  #lastId: number;

  private constructor(kind: 'sse' | 'ws' | 'poll', baseUrl: string, token: string, from: number, retryMs: number) {
    this.kind = kind;
    this.#lastId = from;
    this.#loop = this.#run(baseUrl, token, retryMs);
  }

  static sse(baseUrl: string, token: string, from: number, retryMs = 200): ResumingStream {
    return new ResumingStream('sse', baseUrl, token, from, retryMs);
  }

  static ws(baseUrl: string, token: string, from: number, retryMs = 200): ResumingStream {
    return new ResumingStream('ws', baseUrl, token, from, retryMs);
  }

  /** The long-poll rung: GET /api/events from the last id, again and again. */
  static poll(baseUrl: string, token: string, from: number, retryMs = 200): ResumingStream {
    return new ResumingStream('poll', baseUrl, token, from, retryMs);
  }

  get events(): StreamEvent[] {
    return [...this.#done, ...(this.#current?.events ?? [])];
  }

  get lastId(): number {
    return this.events.at(-1)?.id ?? this.#lastId;
  }

  async #run(baseUrl: string, token: string, retryMs: number): Promise<void> {
    while (!this.#stopped) {
      try {
        if (this.kind === 'sse') await this.#sse(baseUrl, token);
        else if (this.kind === 'ws') await this.#ws(baseUrl, token);
        else if (await this.#poll(baseUrl, token)) continue;
      } catch {
        // A refused upgrade or a reset while connecting: try again, as a browser would.
      }
      if (!this.#stopped) await sleep(retryMs);
    }
  }

  async #sse(baseUrl: string, token: string): Promise<void> {
    const c = await SseClient.connect(baseUrl, { token, lastEventId: this.lastId });
    if (c.status !== 200) {
      await c.until(() => false, 5000).catch(() => {});
      this.refusals.push({ status: c.status, code: errorCode(c.raw) });
      c.close();
      return;
    }
    await this.#hold(c, () => c.closed);
  }

  async #ws(baseUrl: string, token: string): Promise<void> {
    let c: WsClient;
    try {
      c = await WsClient.connect(baseUrl, { token, lastEventId: this.lastId });
    } catch (e) {
      const { status, body } = e as { status?: number; body?: string };
      if (status) this.refusals.push({ status, code: errorCode(body ?? '') });
      throw e;
    }
    const closed = new Promise<void>((resolve) => c.ws.once('close', () => resolve()));
    let isClosed = false;
    void closed.then(() => (isClosed = true));
    await this.#hold(c, () => isClosed);
  }

  /** One long-poll; true when it answered 200 (ask again at once). */
  async #poll(baseUrl: string, token: string): Promise<boolean> {
    if (this.connections === 0) this.connections = 1;
    const res = await fetch(`${baseUrl}/api/events?since=${this.lastId}&wait=5`, {
      headers: { authorization: `Bearer ${token}` },
      signal: this.#abort.signal,
    });
    const body = (await res.json()) as { events?: StreamEvent[]; error?: { code?: string } };
    if (res.status !== 200) {
      this.refusals.push({ status: res.status, code: body.error?.code });
      return false;
    }
    this.#done.push(...(body.events ?? []).map((e) => ({ id: e.id, event: e.event, data: e.data })));
    return true;
  }

  async #hold(c: SseClient | WsClient, closed: () => boolean): Promise<void> {
    this.#current = c;
    this.connections++;
    while (!closed() && !this.#stopped) await sleep(20);
    this.#done.push(...c.events);
    this.#current = undefined;
    c.close();
  }

  /** Resolves once an event with id `id` (or later) has arrived. */
  async until(id: number, ms = 20_000): Promise<void> {
    const deadline = Date.now() + ms;
    while (this.lastId < id) {
      if (Date.now() > deadline) throw new Error(`${this.kind}: waited ${ms} ms for event ${id}; last is ${this.lastId}`);
      await sleep(20);
    }
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#abort.abort();
    this.#current?.close();
    await this.#loop;
  }
}

function errorCode(text: string): string | undefined {
  try {
    return (JSON.parse(text) as { error?: { code?: string } }).error?.code;
  } catch {
    return undefined;
  }
}
