import type { Queryable } from '../db/database.js';

/**
 * Queues a Discord message about `eventKey`, in the caller's transaction: it is posted if and only if
 * what it tells is committed. Nothing is queued for a faction without a webhook (Discord is off until
 * a leader turns it on), and an event already queued (another node, another read of the same thing)
 * adds nothing.
 */
export async function queueDiscord(tx: Queryable, factionId: number, eventKey: string, content: string): Promise<boolean> {
  const r = await tx.query(
    `insert into discord_outbox (faction_id, event_key, content)
     select $1, $2, $3 where exists (select 1 from discord_webhooks where faction_id = $1)
     on conflict (faction_id, event_key) do nothing`,
    [factionId, eventKey, content],
  );
  return r.rowCount > 0;
}
