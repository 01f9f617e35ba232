import type { Queryable } from '../db/database.js';
import type { KeyVault } from '../auth/key-vault.js';
import type { DiscordStatus } from '../protocol/discord.js';

/**
 * Sets the faction's webhook (encrypted with the key vault, as API keys are). Messages still waiting
 * for an earlier webhook are dropped: they were meant for another channel, and are old news by now.
 */
export async function setWebhook(tx: Queryable, vault: KeyVault, factionId: number, url: string, by: number): Promise<void> {
  await tx.query(
    `insert into discord_webhooks (faction_id, url_encrypted, set_by) values ($1, $2, $3)
     on conflict (faction_id) do update
       set url_encrypted = excluded.url_encrypted, set_by = excluded.set_by, set_at = now(),
           next_send_at = now(), lease_until = null, last_sent_at = null, last_error = null`,
    [factionId, vault.encrypt(url), by],
  );
  await tx.query('delete from discord_outbox where faction_id = $1 and sent_at is null and failed_at is null', [factionId]);
}

/** Removes the webhook and what was waiting for it; returns whether there was one. */
export async function removeWebhook(tx: Queryable, factionId: number): Promise<boolean> {
  const r = await tx.query('delete from discord_webhooks where faction_id = $1', [factionId]);
  await tx.query('delete from discord_outbox where faction_id = $1 and sent_at is null and failed_at is null', [factionId]);
  return r.rowCount > 0;
}

/** What members may know of the faction's webhook: whether there is one, who set it, how it goes. Never its URL. */
export async function webhookStatus(db: Queryable, factionId: number): Promise<Omit<DiscordStatus, 'canManage'>> {
  const r = await db.query<{
    set_by: number;
    by_name: string;
    set_at: number;
    last_sent_at: number | null;
    last_error: string | null;
    pending: number;
  }>(
    `select w.set_by, p.name as by_name, extract(epoch from w.set_at)::bigint as set_at,
            extract(epoch from w.last_sent_at)::bigint as last_sent_at, w.last_error,
            (select count(*)::int from discord_outbox o where o.faction_id = w.faction_id and o.sent_at is null and o.failed_at is null) as pending
       from discord_webhooks w join players p on p.id = w.set_by
      where w.faction_id = $1`,
    [factionId],
  );
  const w = r.rows[0];
  if (!w) return { configured: false, setBy: null, setAt: null, lastSentAt: null, lastError: null, pending: 0 };
  return {
    configured: true,
    setBy: { id: w.set_by, name: w.by_name },
    setAt: Number(w.set_at),
    lastSentAt: w.last_sent_at === null ? null : Number(w.last_sent_at),
    lastError: w.last_error,
    pending: w.pending,
  };
}
