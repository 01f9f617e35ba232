// Only Discord's own webhook addresses are stored, so that the server can never be made to post into
// the operator's network; a test receiver is reachable only through the allow-list, empty by default.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseWebhookUrl } from '../../src/discord/webhook-url.js';
import { AppError } from '../../src/errors.js';
import { loadConfig } from '../../src/config.js';

const ID = '112233445566778899';
const TOKEN = 'AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-AbCdEfGhIjKlMnOpQrStUvWxYz0123';

test("Discord's hosts, with or without an API version or a trailing slash, are accepted and stored in one form", () => {
  for (const host of [
    'discord.com',
    'ptb.discord.com',
    'canary.discord.com',
    'discordapp.com',
    'ptb.discordapp.com',
    'canary.discordapp.com',
  ]) {
    for (const path of [`/api/webhooks/${ID}/${TOKEN}`, `/api/v10/webhooks/${ID}/${TOKEN}`, `/api/webhooks/${ID}/${TOKEN}/`]) {
      const out = parseWebhookUrl(`https://${host}${path}`, []);
      assert.deepEqual(out, { url: `https://${host}/api/webhooks/${ID}/${TOKEN}`, webhookId: ID });
    }
  }
  assert.equal(
    parseWebhookUrl(`  https://DISCORD.com/api/webhooks/${ID}/${TOKEN}  `, []).url,
    `https://discord.com/api/webhooks/${ID}/${TOKEN}`,
  );
});

test('anything else is a 400 that says what a webhook URL looks like', () => {
  const refused: [unknown, RegExp][] = [
    [undefined, /url is required/],
    ['', /url is required/],
    [42, /url is required/],
    ['not a url', /not a URL/],
    [`http://discord.com/api/webhooks/${ID}/${TOKEN}`, /Only Discord's own/],
    [`https://discord.com:8443/api/webhooks/${ID}/${TOKEN}`, /Only Discord's own/],
    [`https://discord.com.evil.example/api/webhooks/${ID}/${TOKEN}`, /Only Discord's own/],
    [`https://evildiscord.com/api/webhooks/${ID}/${TOKEN}`, /Only Discord's own/],
    [`https://discord.com@127.0.0.1/api/webhooks/${ID}/${TOKEN}`, /Only Discord's own/],
    [`https://127.0.0.1/api/webhooks/${ID}/${TOKEN}`, /Only Discord's own/],
    [`http://169.254.169.254/api/webhooks/${ID}/${TOKEN}`, /Only Discord's own/],
    [`https://[::1]/api/webhooks/${ID}/${TOKEN}`, /Only Discord's own/],
    [`http://localhost:8080/api/webhooks/${ID}/${TOKEN}`, /Only Discord's own/],
    [`https://user:pw@discord.com/api/webhooks/${ID}/${TOKEN}`, /user name or password/],
    [`https://discord.com/api/webhooks/${ID}/${TOKEN}?wait=true`, /query or a fragment/],
    [`https://discord.com/api/webhooks/${ID}/${TOKEN}#x`, /query or a fragment/],
    [`https://discord.com/api/webhooks/${ID}`, /not a webhook address/],
    [`https://discord.com/api/webhooks/abc/${TOKEN}`, /not a webhook address/],
    [`https://discord.com/api/webhooks/${ID}/${TOKEN}/slack`, /not a webhook address/],
    [`https://discord.com/channels/${ID}/${ID}`, /not a webhook address/],
    [`https://discord.com/api/webhooks/${ID}/${TOKEN}`.padEnd(400, 'x'), /characters long/],
  ];
  for (const [raw, why] of refused) {
    assert.throws(
      () => parseWebhookUrl(raw, []),
      (e: unknown) =>
        e instanceof AppError && e.status === 400 && why.test(e.message) && /discord\.com\/api\/webhooks\/<id>\/<token>/.test(e.message),
      String(raw),
    );
  }
});

test('a test receiver is reached only through DISCORD_WEBHOOK_ALLOWED_ORIGINS, empty by default, and still in the webhook shape', () => {
  const local = `http://127.0.0.1:8090/api/webhooks/${ID}/${TOKEN}`;
  const env = { DATABASE_URL: 'memory://' };
  assert.deepEqual(loadConfig(env).discordWebhookAllowedOrigins, []);
  assert.throws(() => parseWebhookUrl(local, loadConfig(env).discordWebhookAllowedOrigins), /Only Discord's own/);
  const allowed = loadConfig({ ...env, DISCORD_WEBHOOK_ALLOWED_ORIGINS: 'http://127.0.0.1:8090' }).discordWebhookAllowedOrigins;
  assert.equal(parseWebhookUrl(local, allowed).url, local);
  assert.throws(() => parseWebhookUrl(`http://127.0.0.1:8091/api/webhooks/${ID}/${TOKEN}`, allowed), /Only Discord's own/);
  assert.throws(() => parseWebhookUrl('http://127.0.0.1:8090/admin', allowed), /not a webhook address/);
  assert.throws(
    () => loadConfig({ ...env, DISCORD_WEBHOOK_ALLOWED_ORIGINS: 'http://127.0.0.1:8090/path' }),
    /DISCORD_WEBHOOK_ALLOWED_ORIGINS must be/,
  );
});
