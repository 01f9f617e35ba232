import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One answer of the receiver: a status, headers and a JSON body, after an optional delay. */
export interface ReceiverAnswer {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
  delayMs?: number;
}

/** A POST the receiver got: when, and the message's content and allowed_mentions. */
export interface Received {
  at: number;
  path: string;
  content: string;
  allowedMentions: unknown;
  status: number;
}

/**
 * A local stand-in for a Discord webhook (the only thing it stands in for is Discord's side of the
 * wire): it answers each POST with the next scripted answer, then 204 as Discord does without
 * `?wait=true`, and records what it was sent.
 */
export interface DiscordReceiver {
  origin: string;
  /** A webhook URL of the shape Discord gives, on this receiver. */
  url: string;
  received: Received[];
  /** Answers to give next, in order. */
  script(...answers: ReceiverAnswer[]): void;
  /** Resolves once `n` posts were answered 2xx. */
  waitForDelivered(n: number, timeoutMs?: number): Promise<Received[]>;
  close(): Promise<void>;
}

export const WEBHOOK_ID = '112233445566778899';
export const WEBHOOK_TOKEN = 'tok_' + 'A1b2C3d4E5f6G7h8I9j0'.repeat(3) + '-xyz';

export async function startDiscordReceiver(): Promise<DiscordReceiver> {
  const queue: ReceiverAnswer[] = [];
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c));
    req.on('end', () => {
      const a = queue.shift() ?? { status: 204 };
      let parsed: { content?: string; allowed_mentions?: unknown } = {};
      try {
        parsed = JSON.parse(raw);
      } catch {
        /* recorded as empty */
      }
      received.push({
        at: Date.now(),
        path: req.url ?? '',
        content: parsed.content ?? '',
        allowedMentions: parsed.allowed_mentions,
        status: a.status,
      });
      setTimeout(() => {
        res.writeHead(a.status, { ...(a.body === undefined ? {} : { 'content-type': 'application/json' }), ...a.headers });
        res.end(a.body === undefined ? undefined : JSON.stringify(a.body));
      }, a.delayMs ?? 0);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    url: `${origin}/api/webhooks/${WEBHOOK_ID}/${WEBHOOK_TOKEN}`,
    received,
    script: (...answers) => queue.push(...answers),
    async waitForDelivered(n, timeoutMs = 20_000) {
      const from = Date.now();
      for (;;) {
        const ok = received.filter((r) => r.status >= 200 && r.status < 300);
        if (ok.length >= n) return ok;
        if (Date.now() - from > timeoutMs)
          throw new Error(`${ok.length} of ${n} messages delivered in ${timeoutMs} ms: ${JSON.stringify(received)}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
