import { AppError } from '../errors.js';

/**
 * The hosts Discord gives webhook URLs on: its main domain, the older discordapp.com, and the
 * public test and canary builds of either (Discord's "Execute Webhook",
 * https://discord.com/developers/docs/resources/webhook#execute-webhook, read 2026-12-07).
 */
const DISCORD_HOSTS: readonly string[] = Object.freeze([
  'discord.com',
  'ptb.discord.com',
  'canary.discord.com',
  'discordapp.com',
  'ptb.discordapp.com',
  'canary.discordapp.com',
]);

/** `/api/webhooks/{webhook.id}/{webhook.token}`, optionally with an API version (`/api/v10/…`). */
const PATH = /^\/api(?:\/v\d{1,2})?\/webhooks\/(\d{15,22})\/([A-Za-z0-9_-]{20,100})\/?$/;

const HINT =
  'a Discord webhook URL looks like https://discord.com/api/webhooks/<id>/<token> (channel settings → Integrations → Webhooks → Copy Webhook URL)';

function refuse(why: string): never {
  throw new AppError('invalid_request', `${why}: ${HINT}`);
}

/**
 * The webhook URL to store, as TornCat will post to it, or a 400 saying what is wrong. Only
 * Discord's own hosts over https on the default port are accepted (and `allowedOrigins`, empty but
 * in tests), so that a member can never make the server post into the operator's network.
 */
export function parseWebhookUrl(raw: unknown, allowedOrigins: readonly string[]): { url: string; webhookId: string } {
  if (typeof raw !== 'string' || raw.trim() === '') refuse('url is required');
  if (raw.length > 300) refuse(`The URL is ${raw.length} characters long`);
  let u: URL;
  try {
    u = new URL(raw.trim());
  } catch {
    refuse('This is not a URL');
  }
  const discord = u.protocol === 'https:' && u.port === '' && DISCORD_HOSTS.includes(u.hostname);
  if (!discord && !allowedOrigins.includes(u.origin)) {
    refuse(`Only Discord's own webhook addresses are accepted (https on ${DISCORD_HOSTS.join(', ')}), got ${u.protocol}//${u.host}`);
  }
  if (u.username || u.password) refuse('The URL may not carry a user name or password');
  if (u.search || u.hash) refuse('The URL may not carry a query or a fragment');
  const m = PATH.exec(u.pathname);
  if (!m) refuse('The URL is not a webhook address');
  return { url: `${u.origin}/api/webhooks/${m[1]}/${m[2]}`, webhookId: m[1] };
}
