import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { pgliteBackend } from '../helpers/databases.js';
import { SseClient, WsClient } from '../helpers/stream-clients.js';
import { demoKey, startWarFixture, type WarFixture } from '../helpers/war-fixture.js';

const pglite = await pgliteBackend();
const SECRET = 'log-secret-0123456789abcdef-0123456789-xyz';
const METRICS_TOKEN = 'metrics-token-for-the-log-test-0123';

/**
 * A real server at trace level, its logger built from the config as in production and writing to a
 * captured stream, through sign-ins that work and that fail, calls, Torn errors, streams opened with
 * ?token= and scrapes: no line may hold a key, a session token, the secret or the metrics token.
 */
describe('no API key, token or secret reaches a log line', () => {
  let f: WarFixture;
  const lines: string[] = [];
  /** Every value that must never be logged, with what it is. */
  const secrets = new Map<string, string>([
    [SECRET, 'TORNCAT_SECRET'],
    [METRICS_TOKEN, 'TORNCAT_METRICS_TOKEN'],
  ]);
  const keep = (value: string, what: string) => {
    secrets.set(value, what);
    return value;
  };

  before(async () => {
    f = await startWarFixture(pglite, {
      env: {
        LOG_LEVEL: 'trace',
        LOG_FORMAT: 'json',
        TORNCAT_SECRET: SECRET,
        TORNCAT_METRICS_TOKEN: METRICS_TOKEN,
        REJECTED_KEY_COOLDOWN_MS: '600000',
        // Nothing listens on the discard port: the webhook's posts fail on the network, and are logged.
        DISCORD_WEBHOOK_ALLOWED_ORIGINS: 'http://127.0.0.1:9',
      },
      server: {
        log: undefined,
        logDestination: new Writable({
          write(chunk: Buffer | string, _encoding, done) {
            lines.push(...String(chunk).split('\n').filter(Boolean));
            done();
          },
        }),
      },
    });

    // Sign-ins that work, with a member's main key and another of theirs.
    const tokens: string[] = [];
    for (const key of [demoKey(2001), demoKey(2002), demoKey(2003), 'alt1000000002001']) {
      const r = await f.api('/api/auth', { body: { apiKey: keep(key, `API key ${key.slice(0, 4)}…`) } });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      tokens.push(keep(r.body.token, 'session token'));
    }
    const [t1, t2, t3] = tokens;
    // Refused ones: a malformed key, a key Torn does not know, a key Torn rejects (error 2) twice (the
    // second is refused by the cooldown), a factionless player, a key with too little access.
    assert.equal((await f.api('/api/auth', { body: { apiKey: keep('short-key-123', 'malformed key') } })).status, 400);
    assert.equal((await f.api('/api/auth', { body: { apiKey: keep('Unknown0Key00001', 'unknown key') } })).status, 401);
    const rejected = keep(demoKey(2010), 'rejected key');
    await f.simControl(`/__sim/keys/${rejected}/error`, { code: 2 });
    assert.equal((await f.api('/api/auth', { body: { apiKey: rejected } })).status, 401);
    assert.equal((await f.api('/api/auth', { body: { apiKey: rejected } })).status, 429);
    assert.equal((await f.api('/api/auth', { body: { apiKey: keep(demoKey(2026), 'factionless key') } })).status, 403);
    const low = keep(demoKey(2011), 'low-access key');
    await f.simControl(`/__sim/keys/${low}/access`, { level: 1, type: 'Custom', selections: { user: ['basic'] } });
    assert.equal((await f.api('/api/auth', { body: { apiKey: low } })).status, 403);

    // The war, calls over HTTP and WebSocket, streams opened with ?token=, a long-poll.
    await f.sync(1001);
    const seq = (await f.api('/api/war', { token: t1 })).body.seq as number;
    assert.equal((await f.api('/api/calls', { token: t1, body: { ops: [{ op: 'call', targetId: 3001 }] } })).status, 200);
    assert.equal((await f.api('/api/calls', { token: t2, body: { ops: [{ op: 'call', targetId: 3001 }] } })).status, 200);
    const sse = await SseClient.connect(f.server.url, { query: `?token=${t3}&lastEventId=${seq}` });
    assert.equal(sse.status, 200);
    const ws = await WsClient.connect(f.server.url, { token: t2, lastEventId: seq });
    const answer = await ws.command({ type: 'call', targetId: 3002 });
    assert.equal(answer.ok, true, JSON.stringify(answer));
    await sse.until((events) => events.some((e) => e.event === 'target_call' && e.data.targetId === 3002));
    assert.equal((await f.api(`/api/events?since=${seq}&wait=0`, { token: t1 })).status, 200);
    // Tokens and keys where they do not belong: in query strings, paths, and as bearer tokens.
    assert.equal((await f.api(`/api/war?token=${t1}`)).status, 401);
    assert.equal((await f.api(`/api/war`, { token: demoKey(2001) })).status, 401);
    assert.equal((await f.api(`/nothing/${demoKey(2002)}?key=${demoKey(2002)}`)).status, 404);
    await assert.rejects(WsClient.connect(f.server.url, { token: t1, headers: { origin: 'https://evil.example' } }));
    const stranger = await SseClient.connect(f.server.url, {
      query: `?token=${keep('not-a-real-token-but-secret-looking-0123456', 'unknown token')}`,
    });
    assert.equal(stranger.status, 401);
    stranger.close();

    // The faction's Discord webhook, set by its leader (2001), refused with another token, tested,
    // its post failing: its token is what posts to the channel.
    const hook = keep('DiscordWebhookToken_' + 'x9Y8z7W6v5'.repeat(5), 'Discord webhook token');
    const refused = keep('OtherWebhookToken-' + 'Q1w2E3r4T5'.repeat(5), 'refused webhook token');
    assert.equal(
      (await f.api('/api/discord/webhook', { token: t1, body: { url: `https://evil.example/api/webhooks/123456789012345678/${refused}` } }))
        .status,
      400,
    );
    assert.equal(
      (await f.api('/api/discord/webhook', { token: t1, body: { url: `http://127.0.0.1:9/api/webhooks/123456789012345678/${hook}` } }))
        .status,
      200,
    );
    assert.equal((await f.api('/api/discord/webhook/test', { token: t1, method: 'POST' })).status, 202);
    for (let i = 0; i < 100 && !lines.some((l) => l.includes('Discord could not be reached')); i++)
      await new Promise((r) => setTimeout(r, 20));

    // Torn errors while polling: a rested player (5), a disabled key (2, 13), then the whole node backs off (8).
    for (const [player, code] of [
      [2001, 5],
      [2002, 13],
      [2003, 2],
    ] as const) {
      await f.simControl(`/__sim/keys/${demoKey(player)}/error`, { code });
      await f.sync(1001);
    }
    await f.simControl(`/__sim/keys/alt1000000002001/error`, { code: 8 });
    await f.sync(1001);

    // Scrapes with the right and a wrong metrics token; sign-out and forgetting keys.
    assert.equal((await fetch(f.server.url + '/metrics', { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).status, 200);
    assert.equal((await fetch(f.server.url + '/metrics', { headers: { authorization: `Bearer ${METRICS_TOKEN}x` } })).status, 401);
    assert.equal((await f.api('/api/keys/me', { token: t2, method: 'DELETE' })).status, 200);
    assert.equal((await f.api('/api/auth', { token: t3, method: 'DELETE' })).status, 200);
    ws.close();
    sse.close();
    // Torn cannot be reached (nothing listens on the discard port): sign-ins and polls fail on the network.
    await f.restart({ TORN_API_URL: 'http://127.0.0.1:9' });
    assert.equal((await f.api('/api/auth', { body: { apiKey: demoKey(2004) } })).status, 503);
    keep(demoKey(2004), 'API key of a sign-in Torn could not answer');
    await f.sync(1001).catch(() => {});
  });
  after(() => f?.close());

  test('the server logged the work it did, at every level down to debug', () => {
    const parsed = lines.map((l) => JSON.parse(l) as { level: number; msg: string });
    const messages = parsed.map((p) => p.msg);
    assert.ok(messages.includes('member signed in'), 'sign-ins logged');
    assert.ok(messages.includes('Discord webhook set') && messages.some((m) => /^Discord could not be reached/.test(m)), 'Discord logged');
    assert.ok(messages.includes('request answered'), 'requests logged at debug');
    assert.ok(
      messages.some((m) => /key disabled|keys rest|backs off/i.test(m)),
      `Torn errors logged: ${[...new Set(messages)].join(' | ')}`,
    );
    assert.ok(
      parsed.some((p) => p.level <= 20),
      'debug lines present',
    );
    assert.ok(
      messages.some((m) => /TornCat listening/.test(m)) && messages.filter((m) => /TornCat listening/.test(m)).length === 2,
      'both starts logged',
    );
  });

  test('no line contains any key, token or secret used', () => {
    assert.ok(lines.length >= 30, `only ${lines.length} lines`);
    for (const line of lines) {
      for (const [value, what] of secrets) assert.ok(!line.includes(value), `a log line holds the ${what}: ${line}`);
    }
  });
});
