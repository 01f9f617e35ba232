import { request, type IncomingMessage } from 'node:http';
import WebSocket from 'ws';

export interface StreamEvent {
  id: number;
  event: string;
  data: any;
}

/**
 * A real SSE client over node:http that parses frames as a browser's EventSource does and keeps
 * the raw bytes, so tests can check both what arrives and how it is written.
 */
export class SseClient {
  readonly events: StreamEvent[] = [];
  raw = '';
  status = 0;
  headers: IncomingMessage['headers'] = {};
  #res: IncomingMessage | undefined;
  #buffer = '';
  #waiters: (() => void)[] = [];
  closed = false;

  /** Keeps only ids and event names (no raw text, no data): for streams too big to hold. */
  #light = false;

  static async connect(
    baseUrl: string,
    opts: { token?: string; lastEventId?: number; query?: string; headers?: Record<string, string>; light?: boolean } = {},
  ): Promise<SseClient> {
    const c = new SseClient();
    c.#light = opts.light ?? false;
    const url = new URL('/events' + (opts.query ?? ''), baseUrl);
    const headers: Record<string, string> = { accept: 'text/event-stream', ...opts.headers };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    if (opts.lastEventId !== undefined) headers['last-event-id'] = String(opts.lastEventId);
    await new Promise<void>((resolve, reject) => {
      const req = request(url, { headers }, (res) => {
        c.#res = res;
        c.status = res.statusCode ?? 0;
        c.headers = res.headers;
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => c.#feed(chunk));
        res.on('end', () => c.#end());
        res.on('error', () => c.#end());
        res.on('close', () => c.#end());
        resolve();
      });
      req.on('error', reject);
      req.end();
    });
    return c;
  }

  #end(): void {
    this.closed = true;
    for (const w of this.#waiters.splice(0)) w();
  }

  #feed(chunk: string): void {
    if (!this.#light) this.raw += chunk;
    this.#buffer += chunk;
    let i: number;
    while ((i = this.#buffer.indexOf('\n\n')) >= 0) {
      const frame = this.#buffer.slice(0, i);
      this.#buffer = this.#buffer.slice(i + 2);
      let id: number | undefined;
      let event = 'message';
      const data: string[] = [];
      for (const line of frame.split('\n')) {
        if (line.startsWith(':')) continue;
        const [field, ...rest] = line.split(':');
        const value = rest.join(':').replace(/^ /, '');
        if (field === 'id') id = Number(value);
        else if (field === 'event') event = value;
        else if (field === 'data') data.push(value);
      }
      if (data.length) this.events.push({ id: id ?? NaN, event, data: this.#light ? null : JSON.parse(data.join('\n')) });
    }
    for (const w of this.#waiters.splice(0)) w();
  }

  /** Resolves once `predicate` holds over the received events (or rejects after `ms`). */
  async until(predicate: (events: StreamEvent[]) => boolean, ms = 10_000): Promise<StreamEvent[]> {
    const deadline = Date.now() + ms;
    while (!predicate(this.events)) {
      if (this.closed) throw new Error(`stream closed; got ${JSON.stringify(this.events.map((e) => e.id))}`);
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(`timed out; got ${this.events.length} events: ${JSON.stringify(this.events.map((e) => [e.id, e.event]))}`);
      await new Promise<void>((r) => {
        const t = setTimeout(r, left);
        this.#waiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
    return this.events;
  }

  untilCount(n: number, ms?: number): Promise<StreamEvent[]> {
    return this.until((e) => e.length >= n, ms);
  }

  /** Stops reading without closing: the server sees a client that no longer keeps up. */
  pause(): void {
    this.#res?.pause();
  }

  /** Reads again after pause(). */
  resume(): void {
    this.#res?.resume();
  }

  close(): void {
    this.#res?.destroy();
  }
}

/** A real WebSocket client (the `ws` package) that records events and command results. */
export class WsClient {
  readonly events: StreamEvent[] = [];
  readonly results: any[] = [];
  readonly ws: WebSocket;
  #waiters: (() => void)[] = [];

  private constructor(ws: WebSocket) {
    this.ws = ws;
    ws.on('upgrade', (res) => (this.headers = res.headers));
    ws.on('message', (raw) => {
      const msg = JSON.parse(raw.toString());
      if (msg.type === 'result' || msg.type === 'pong') this.results.push(msg);
      else this.events.push({ id: msg.id, event: msg.type, data: msg.data });
      for (const w of this.#waiters.splice(0)) w();
    });
    ws.on('close', () => {
      for (const w of this.#waiters.splice(0)) w();
    });
    // A connection the server cuts may end in a reset: record it rather than crash the test process.
    ws.on('error', (e) => (this.error = e));
  }

  error: Error | undefined;
  /** The headers of the server's upgrade answer. */
  headers: IncomingMessage['headers'] = {};

  static connect(
    baseUrl: string,
    opts: { token?: string; lastEventId?: number; headers?: Record<string, string> } = {},
  ): Promise<WsClient> {
    const url = new URL('/ws', baseUrl.replace(/^http/, 'ws'));
    if (opts.token) url.searchParams.set('token', opts.token);
    if (opts.lastEventId !== undefined) url.searchParams.set('lastEventId', String(opts.lastEventId));
    const ws = new WebSocket(url, { headers: opts.headers });
    const client = new WsClient(ws);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(client));
      ws.once('unexpected-response', (_req, res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () =>
          reject(Object.assign(new Error(`upgrade refused: ${res.statusCode} ${body}`), { status: res.statusCode, body })),
        );
      });
      ws.once('error', reject);
    });
  }

  send(msg: unknown): void {
    this.ws.send(JSON.stringify(msg));
  }

  async until(predicate: () => boolean, ms = 10_000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!predicate()) {
      if (this.ws.readyState === WebSocket.CLOSED) throw new Error('websocket closed');
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(`timed out; events ${JSON.stringify(this.events.map((e) => e.id))}, results ${JSON.stringify(this.results)}`);
      await new Promise<void>((r) => {
        const t = setTimeout(r, left);
        this.#waiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
  }

  untilCount(n: number, ms?: number): Promise<void> {
    return this.until(() => this.events.length >= n, ms);
  }

  /** Sends a command and waits for the result with the same ref. */
  async command(msg: Record<string, unknown>): Promise<any> {
    const ref = msg.ref ?? Math.random().toString(36).slice(2);
    this.send({ ...msg, ref });
    // A ref may be any JSON value: compare what came back by its JSON text.
    const key = JSON.stringify(ref);
    const mine = (r: any) => JSON.stringify(r.ref) === key;
    await this.until(() => this.results.some(mine));
    return this.results.find(mine);
  }

  close(): void {
    this.ws.close();
  }
}

/**
 * A stream for suites with thousands of clients: it keeps no payloads, only the ids (which must
 * follow each other: every event once, in order), when each chosen event arrived, and how often it
 * connected. With `resume` it reconnects from its last id whenever its connection ends, as the
 * board and the userscript do.
 */
export class LeanStream {
  readonly kind: 'sse' | 'ws';
  readonly from: number;
  lastId: number;
  count = 0;
  /** Ids that did not follow the previous one (a gap, a repeat, a reset). Empty when the stream is whole. */
  readonly faults: string[] = [];
  /** By id: when (performance.now()) each event of `timed` arrived, and its name. */
  readonly arrivals = new Map<number, { at: number; event: string }>();
  connections = 0;
  /** Connection attempts the server refused or that failed before opening. */
  failures = 0;
  #stopped = false;
  #close: (() => void) | undefined;
  #timed: ReadonlySet<string> | 'all';
  #retry: { minMs: number; maxMs: number } | undefined;
  #failedInARow = 0;

  constructor(
    readonly baseUrl: string,
    readonly token: string,
    kind: 'sse' | 'ws',
    from: number,
    opts: { timed?: readonly string[] | 'all'; resume?: { minMs: number; maxMs: number } } = {},
  ) {
    this.kind = kind;
    this.from = from;
    this.lastId = from;
    this.#timed = opts.timed === 'all' ? 'all' : new Set(opts.timed ?? []);
    this.#retry = opts.resume;
  }

  /** Opens the first connection; rejects when it cannot open (without `resume`). */
  open(): Promise<void> {
    return this.kind === 'sse' ? this.#openSse() : this.#openWs();
  }

  #event(id: number, event: string): void {
    if (event === 'reset' || id !== this.lastId + 1) this.faults.push(`${event} ${id} after ${this.lastId}`);
    if (id > this.lastId) this.lastId = id;
    this.count++;
    if (this.#timed === 'all' || this.#timed.has(event)) this.arrivals.set(id, { at: performance.now(), event });
  }

  #ended(failed = false): void {
    this.#close = undefined;
    this.#failedInARow = failed ? this.#failedInARow + 1 : 0;
    if (this.#stopped || !this.#retry) return;
    // A node that is away is asked again less and less often (up to 5 s), as the clients do.
    const { minMs, maxMs } = this.#retry;
    const wait = Math.min(5000, (minMs + Math.random() * (maxMs - minMs)) * 2 ** this.#failedInARow);
    setTimeout(() => void this.open().catch(() => {}), wait);
  }

  #openSse(): Promise<void> {
    return new Promise((resolve, reject) => {
      const req = request(`${this.baseUrl}/events`, {
        headers: { accept: 'text/event-stream', authorization: `Bearer ${this.token}`, 'last-event-id': String(this.lastId) },
      });
      let settled = false;
      const fail = (e: Error) => {
        if (settled) return;
        settled = true;
        this.failures++;
        this.#ended(true);
        reject(e);
      };
      req.on('error', fail);
      req.on('response', (res) => {
        if (res.statusCode !== 200) {
          res.resume();
          fail(new Error(`SSE refused: ${res.statusCode}`));
          return;
        }
        settled = true;
        this.connections++;
        this.#close = () => res.destroy();
        let buffer = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffer += chunk;
          let i: number;
          while ((i = buffer.indexOf('\n\n')) >= 0) {
            const frame = buffer.slice(0, i);
            buffer = buffer.slice(i + 2);
            const id = /^id: ?(\d+)$/m.exec(frame);
            if (id) this.#event(Number(id[1]), /^event: ?(.*)$/m.exec(frame)?.[1] ?? 'message');
          }
        });
        res.on('error', () => {});
        res.on('close', () => this.#ended());
        resolve();
      });
      req.end();
    });
  }

  #openWs(): Promise<void> {
    return new Promise((resolve, reject) => {
      const url = `${this.baseUrl.replace(/^http/, 'ws')}/ws?token=${this.token}&lastEventId=${this.lastId}`;
      const ws = new WebSocket(url);
      let opened = false;
      ws.on('message', (raw) => {
        const msg = JSON.parse(raw.toString()) as { type: string; id?: number };
        if (typeof msg.id === 'number') this.#event(msg.id, msg.type);
      });
      ws.once('open', () => {
        opened = true;
        this.connections++;
        this.#close = () => ws.terminate();
        resolve();
      });
      let failed = false;
      ws.on('error', (e) => {
        if (opened) return;
        opened = failed = true;
        this.failures++;
        reject(e);
      });
      ws.on('close', () => this.#ended(failed));
    });
  }

  /** Cuts the connection as a network drop would; with `resume` it comes back from its last id. */
  drop(): void {
    this.#close?.();
  }

  /** A connection is open now. */
  get connected(): boolean {
    return this.#close !== undefined;
  }

  /** Ends it for good. */
  stop(): void {
    this.#stopped = true;
    this.#close?.();
  }
}
