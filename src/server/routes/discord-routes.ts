import type { HttpBindings } from '@hono/node-server';
import { Hono, type Context } from 'hono';
import { randomUUID } from 'node:crypto';
import { AppError } from '../../errors.js';
import { mayMark } from '../../war/marks.js';
import { parseWebhookUrl } from '../../discord/webhook-url.js';
import { removeWebhook, setWebhook, webhookStatus } from '../../discord/webhook.js';
import { queueDiscord } from '../../discord/outbox.js';
import { testMessage } from '../../discord/messages.js';
import type { DiscordStatus } from '../../protocol/discord.js';
import type { AppContext } from '../app-context.js';
import { readJson } from '../read-json.js';
import type { MemberVariables } from './war-routes.js';

type Env = { Bindings: HttpBindings; Variables: MemberVariables };

/**
 * `/api/discord/webhook`: the faction's Discord webhook. Every member may see whether there is one
 * (what is shared with Discord is theirs to know); members whose position may mark (MARK_POSITIONS)
 * set, test and remove it. The URL is never answered, logged or sent to a browser.
 */
export function discordRoutes(ctx: AppContext): Hono<Env> {
  const app = new Hono<Env>();

  const manager = async (c: Context<Env>) => {
    const member = c.get('member');
    if (!(await mayMark(ctx.db, member.playerId, ctx.config.markPositions))) {
      throw new AppError('not_allowed', `Only ${ctx.config.markPositions.join(', ')} may set the faction's Discord webhook`);
    }
    return member;
  };

  app.get('/discord/webhook', async (c) => {
    const member = c.get('member');
    c.header('Cache-Control', 'no-store');
    return c.json({
      ...(await webhookStatus(ctx.db, member.factionId)),
      canManage: await mayMark(ctx.db, member.playerId, ctx.config.markPositions),
    } satisfies DiscordStatus);
  });

  app.post('/discord/webhook', async (c) => {
    const member = await manager(c);
    const body = await readJson(c);
    const { url, webhookId } = parseWebhookUrl((body as { url?: unknown } | null)?.url, ctx.config.discordWebhookAllowedOrigins);
    await ctx.db.transaction((tx) => setWebhook(tx, ctx.vault, member.factionId, url, member.playerId));
    // The webhook's id alone: its token is what posts to the channel.
    ctx.log.info({ factionId: member.factionId, playerId: member.playerId, webhookId }, 'Discord webhook set');
    return c.json({ ...(await webhookStatus(ctx.db, member.factionId)), canManage: true } satisfies DiscordStatus);
  });

  app.delete('/discord/webhook', async (c) => {
    const member = await manager(c);
    const removed = await ctx.db.transaction((tx) => removeWebhook(tx, member.factionId));
    if (removed) ctx.log.info({ factionId: member.factionId, playerId: member.playerId }, 'Discord webhook removed');
    return c.json({ ...(await webhookStatus(ctx.db, member.factionId)), canManage: true } satisfies DiscordStatus);
  });

  app.post('/discord/webhook/test', async (c) => {
    const member = await manager(c);
    const code = randomUUID().slice(0, 8);
    const queued = await queueDiscord(ctx.db, member.factionId, `test:${code}`, testMessage(member.playerName, code));
    if (!queued) throw new AppError('invalid_request', 'Set a Discord webhook first: there is none to test');
    void ctx.discord.sendDue();
    return c.json({ queued: true }, 202);
  });

  return app;
}
