import type { Logger } from 'pino';
import type { Database, Queryable } from '../db/database.js';
import type { KeyVault } from '../auth/key-vault.js';
import { backoffDelay } from '../backoff.js';
import { toError } from '../errors.js';
import { rateLimitWaitMs } from './rate-limit.js';

export interface DiscordSenderOptions {
  db: Database;
  vault: KeyVault;
  log: Logger;
  /** How often the outbox is looked at. @default 500 */
  pollMs?: number;
  /** First retry after a 5xx or a network error; it doubles from there. @default 2000 */
  retryBaseMs?: number;
  /** @default 300000 (5 minutes) */
  retryMaxMs?: number;
  /** A message not posted after this long is given up: a war alert that late is wrong, not late. @default 3600000 */
  maxAgeMs?: number;
  /** How long a node holds a faction's webhook while posting; a node that dies lets go after it. @default 30000 */
  leaseMs?: number;
  /** @default 10000 */
  requestTimeoutMs?: number;
}

interface Claimed {
  faction_id: number;
  url_encrypted: Uint8Array;
}

interface Pending {
  id: number;
  content: string;
  attempts: number;
  age_ms: number;
  due: boolean;
}

/** What one post came to. */
type Outcome =
  | { kind: 'sent'; waitMs: number }
  | { kind: 'rate_limited'; waitMs: number; global: boolean }
  | { kind: 'retry'; error: string }
  | { kind: 'webhook_gone'; error: string }
  | { kind: 'refused'; error: string };

/** Nothing here blocks a war: at most this many messages per faction and pass. */
const PER_PASS = 20;

/**
 * Posts the outbox to each faction's Discord webhook, in order, following Discord's rules
 * (https://discord.com/developers/docs/topics/rate-limits, read 2026-12-07): the webhook's bucket
 * headers (`X-RateLimit-Remaining` 0: wait `X-RateLimit-Reset-After`), a 429's `retry_after` (and
 * `X-RateLimit-Global`), retries with jittered back-off on 5xx and network errors, and no more tries
 * at a webhook Discord says is gone (401, 403, 404: invalid requests count towards a ban). Every
 * node runs one; the node that claims a faction's webhook row (FOR UPDATE SKIP LOCKED, then a lease)
 * alone posts for it, and a message is marked sent right after Discord took it.
 */
export class DiscordSender {
  readonly #o: DiscordSenderOptions;
  #timer: NodeJS.Timeout | undefined;
  #pass: Promise<number> | null = null;
  /** Discord's global limit (per address for webhooks): nothing leaves this node before. */
  #globalUntil = 0;

  constructor(options: DiscordSenderOptions) {
    this.#o = options;
  }

  start(): void {
    this.#timer = setInterval(() => void this.sendDue(), this.#o.pollMs ?? 500);
    this.#timer.unref();
  }

  /** Stops looking, and waits for the post in flight to be recorded: a restart sends nothing twice. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#pass?.catch(() => 0);
  }

  /** Posts what is due now; returns how many messages Discord took. One pass at a time per node. */
  sendDue(): Promise<number> {
    if (this.#pass) return this.#pass;
    this.#pass = this.#sendDue()
      .catch((e) => {
        this.#o.log.warn({ err: toError(e) }, 'Discord outbox pass failed; retrying at the next one');
        return 0;
      })
      .finally(() => (this.#pass = null));
    return this.#pass;
  }

  async #sendDue(): Promise<number> {
    let sent = 0;
    const claimedThisPass = new Set<number>();
    for (;;) {
      if (Date.now() < this.#globalUntil) return sent;
      const hook = await this.#claim();
      if (!hook) return sent;
      if (claimedThisPass.has(hook.faction_id)) {
        await this.#release(this.#o.db, hook.faction_id);
        return sent;
      }
      claimedThisPass.add(hook.faction_id);
      sent += await this.#postFor(hook);
    }
  }

  /** The webhook of a faction with a message due, held by this node for the lease; null: none. */
  async #claim(): Promise<Claimed | null> {
    const r = await this.#o.db.query<Claimed>(
      `update discord_webhooks w set lease_until = now() + make_interval(secs => $1)
        where w.faction_id = (
          select c.faction_id from discord_webhooks c
           where (c.lease_until is null or c.lease_until < now()) and c.next_send_at <= now()
             and exists (select 1 from discord_outbox o
                          where o.faction_id = c.faction_id and o.sent_at is null and o.failed_at is null and o.next_attempt_at <= now())
           order by c.next_send_at
           limit 1
           for update skip locked)
        returning w.faction_id, w.url_encrypted`,
      [(this.#o.leaseMs ?? 30_000) / 1000],
    );
    return r.rows[0] ?? null;
  }

  async #release(q: Queryable, factionId: number): Promise<void> {
    await q.query('update discord_webhooks set lease_until = null where faction_id = $1', [factionId]);
  }

  /** Posts the faction's messages in order while they are due and Discord lets us; returns how many it took. */
  async #postFor(hook: Claimed): Promise<number> {
    const { db, log } = this.#o;
    const factionId = hook.faction_id;
    let url: string;
    try {
      url = this.#o.vault.decrypt(hook.url_encrypted);
    } catch {
      await db.query(
        `update discord_webhooks set next_send_at = 'infinity', lease_until = null,
                last_error = 'The stored webhook cannot be decrypted (TORNCAT_SECRET changed): set it again' where faction_id = $1`,
        [factionId],
      );
      return 0;
    }
    let sent = 0;
    try {
      for (let i = 0; i < PER_PASS; i++) {
        // Held for one more post at a time: a slow Discord never lets the lease lapse mid-post.
        await db.query('update discord_webhooks set lease_until = now() + make_interval(secs => $2) where faction_id = $1', [
          factionId,
          (this.#o.leaseMs ?? 30_000) / 1000,
        ]);
        const next = await db.query<Pending>(
          `select id, content, attempts, (extract(epoch from now() - created_at) * 1000)::bigint as age_ms,
                  (next_attempt_at <= now()) as due
             from discord_outbox where faction_id = $1 and sent_at is null and failed_at is null order by id limit 1`,
          [factionId],
        );
        const m = next.rows[0];
        // In order: a message waiting for its retry holds the ones after it.
        if (!m || !m.due) return sent;
        if (Number(m.age_ms) > (this.#o.maxAgeMs ?? 3_600_000)) {
          await this.#fail(db, m.id, 'Not posted within the hour: given up');
          continue;
        }
        const out = await this.#post(url, m.content);
        if (out.kind === 'sent') {
          await db.transaction(async (tx) => {
            await tx.query('update discord_outbox set sent_at = now(), attempts = attempts + 1, last_error = null where id = $1', [m.id]);
            await tx.query(
              `update discord_webhooks set last_sent_at = now(), last_error = null,
                      next_send_at = greatest(next_send_at, now() + make_interval(secs => $2)) where faction_id = $1`,
              [factionId, out.waitMs / 1000],
            );
          });
          sent++;
          if (out.waitMs > 0) return sent;
          continue;
        }
        if (out.kind === 'rate_limited') {
          if (out.global) this.#globalUntil = Date.now() + out.waitMs;
          await db.query('update discord_webhooks set next_send_at = now() + make_interval(secs => $2) where faction_id = $1', [
            factionId,
            out.waitMs / 1000,
          ]);
          log.info({ factionId, waitMs: out.waitMs, global: out.global }, 'Discord rate limit: waiting as it says');
          return sent;
        }
        if (out.kind === 'retry') {
          const waitMs = backoffDelay(m.attempts, { baseMs: this.#o.retryBaseMs ?? 2000, maxMs: this.#o.retryMaxMs ?? 300_000 });
          await db.query(
            `update discord_outbox set attempts = attempts + 1, last_error = $2,
                    next_attempt_at = now() + make_interval(secs => $3) where id = $1`,
            [m.id, out.error, waitMs / 1000],
          );
          await db.query('update discord_webhooks set last_error = $2 where faction_id = $1', [factionId, out.error]);
          log.warn({ factionId, attempt: m.attempts + 1, waitMs }, out.error);
          return sent;
        }
        await this.#fail(db, m.id, out.error);
        await db.query('update discord_webhooks set last_error = $2 where faction_id = $1', [factionId, out.error]);
        log.warn({ factionId }, out.error);
        if (out.kind === 'webhook_gone') {
          // Discord counts requests it refuses towards a ban: none more until a leader sets a webhook again.
          await db.query(`update discord_webhooks set next_send_at = 'infinity' where faction_id = $1`, [factionId]);
          return sent;
        }
      }
      return sent;
    } finally {
      await this.#release(db, factionId);
    }
  }

  async #fail(q: Queryable, id: number, error: string): Promise<void> {
    await q.query('update discord_outbox set failed_at = now(), attempts = attempts + 1, last_error = $2 where id = $1', [id, error]);
  }

  /** One POST to the webhook. Never follows a redirect: the URL checked is the only address posted to. */
  async #post(url: string, content: string): Promise<Outcome> {
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'TornCat (war caller for Torn factions)' },
        body: JSON.stringify({ content, allowed_mentions: { parse: [] } }),
        redirect: 'manual',
        signal: AbortSignal.timeout(this.#o.requestTimeoutMs ?? 10_000),
      });
    } catch (e) {
      const why = (e as Error).name === 'TimeoutError' ? 'did not answer in time' : 'could not be reached';
      return { kind: 'retry', error: `Discord ${why}; retrying` };
    }
    const text = await res.text().catch(() => '');
    if (res.status >= 200 && res.status < 300) {
      // The webhook's bucket: once it is spent, the next message waits for its reset.
      const remaining = res.headers.get('x-ratelimit-remaining');
      const resetAfter = Number(res.headers.get('x-ratelimit-reset-after'));
      const waitMs = remaining === '0' && Number.isFinite(resetAfter) && resetAfter > 0 ? Math.ceil(resetAfter * 1000) : 0;
      return { kind: 'sent', waitMs };
    }
    if (res.status === 429) {
      return {
        kind: 'rate_limited',
        waitMs: rateLimitWaitMs(text, res.headers),
        global: /^true$/i.test(res.headers.get('x-ratelimit-global') ?? ''),
      };
    }
    if (res.status >= 500) return { kind: 'retry', error: `Discord answered ${res.status}; retrying` };
    if (res.status === 401 || res.status === 403 || res.status === 404) {
      return {
        kind: 'webhook_gone',
        error: `Discord answered ${res.status}: the webhook was deleted or its token no longer works; set a new webhook URL`,
      };
    }
    return { kind: 'refused', error: `Discord refused the message (${res.status}); it was not posted` };
  }
}
