// The faction's Discord webhook against a local receiver (Discord's side of the wire; the server's
// allow-list points it there): set, tested and removed by a member whose position may mark, and by no
// one else; stored encrypted and never answered; messages for war start and end, our chain about to
// break, a priority mark and a priority target's early exit, posted once each, in order, following
// 204, 429 (retry_after and the bucket headers) and 5xx answers; nothing lost or sent twice across a
// restart of the server, and one message per event with two nodes.
import { describe, test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { backends } from '../helpers/databases.js';
import { startWarFixture, type WarFixture } from '../helpers/war-fixture.js';
import { startDiscordReceiver, WEBHOOK_TOKEN, type DiscordReceiver } from '../helpers/discord-receiver.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

for (const backend of await backends()) {
  describe(`Discord webhook on ${backend.name}`, () => {
    let f: WarFixture;
    let rx: DiscordReceiver;
    let leader: string;
    let member: string;
    const env = () => ({ DISCORD_WEBHOOK_ALLOWED_ORIGINS: rx.origin, TORN_PLAYER_BUDGET_PER_MIN: '100' });
    const outbox = async () =>
      (
        await f.db.query<{ event_key: string; sent: boolean; failed: boolean; attempts: number }>(
          'select event_key, sent_at is not null as sent, failed_at is not null as failed, attempts from discord_outbox order by id',
        )
      ).rows;
    /** Waits until the sender recorded every post (the receiver answers before the row is marked). */
    const settled = async () => {
      const from = Date.now();
      while ((await outbox()).some((r) => !r.sent && !r.failed)) {
        if (Date.now() - from > 10_000) assert.fail(`outbox not settled: ${JSON.stringify(await outbox())}`);
        await sleep(25);
      }
    };
    const test3 = async () => {
      for (let i = 0; i < 3; i++) assert.equal((await f.api('/api/discord/webhook/test', { token: leader, method: 'POST' })).status, 202);
    };

    before(async () => {
      rx = await startDiscordReceiver();
      f = await startWarFixture(backend, {
        env: env(),
        server: { discord: { pollMs: 50, retryBaseMs: 200, retryMaxMs: 1000 } },
      });
      leader = await f.signIn(2001);
      member = await f.signIn(2003);
      await f.sync(1001); // positions: 2001 is the Leader, 2003 is not allowed to mark
    });
    after(async () => {
      await f?.close();
      await rx?.close();
    });
    beforeEach(() => {
      rx.received.length = 0;
    });

    test('only a member whose position may mark sets, tests and removes it; a bad URL is a 400 that writes nothing', async () => {
      const status = await f.api('/api/discord/webhook', { token: member });
      assert.equal(status.status, 200);
      assert.deepEqual(status.body, {
        configured: false,
        setBy: null,
        setAt: null,
        lastSentAt: null,
        lastError: null,
        pending: 0,
        canManage: false,
      });
      for (const [method, path, body] of [
        ['POST', '/api/discord/webhook', { url: rx.url }],
        ['DELETE', '/api/discord/webhook', undefined],
        ['POST', '/api/discord/webhook/test', undefined],
      ] as const) {
        const r = await f.api(path, { token: member, method, body });
        assert.equal(r.status, 403, `${method} ${path}`);
        assert.equal(r.body.error.code, 'not_allowed');
        assert.match(r.body.error.message, /Only Leader, Co-leader may set the faction's Discord webhook/);
      }
      const bad = await f.api('/api/discord/webhook', { token: leader, body: { url: 'http://10.0.0.5/api/webhooks/1/x' } });
      assert.equal(bad.status, 400);
      assert.match(bad.body.error.message, /Only Discord's own webhook addresses are accepted/);
      const count = await f.db.query<{ n: number }>('select count(*)::int as n from discord_webhooks');
      assert.equal(count.rows[0].n, 0, 'nothing written');
      assert.equal((await f.api('/api/discord/webhook/test', { token: leader, method: 'POST' })).status, 400, 'nothing to test yet');
    });

    test('set by the leader: stored encrypted, never answered to anyone, and a test message arrives once, with no mentions', async () => {
      const set = await f.api('/api/discord/webhook', { token: leader, body: { url: rx.url } });
      assert.equal(set.status, 200, JSON.stringify(set.body));
      assert.equal(set.body.configured, true);
      assert.deepEqual(set.body.setBy, { id: 2001, name: set.body.setBy.name });
      const stored = await f.db.query<{ url_encrypted: Uint8Array }>('select url_encrypted from discord_webhooks');
      assert.ok(!Buffer.from(stored.rows[0].url_encrypted).includes(Buffer.from(WEBHOOK_TOKEN)), 'the token is not stored in the clear');
      for (const token of [leader, member]) {
        for (const path of ['/api/discord/webhook', '/api/war']) {
          const r = await f.api(path, { token });
          assert.ok(!JSON.stringify(r.body).includes(WEBHOOK_TOKEN), `${path} does not carry the token`);
        }
      }
      assert.equal((await f.api('/api/discord/webhook', { token: member })).body.configured, true, 'members see that Discord is on');
      assert.equal((await f.api('/api/discord/webhook/test', { token: leader, method: 'POST' })).status, 202);
      const [got] = await rx.waitForDelivered(1);
      assert.match(got.content, /TornCat test message/);
      assert.deepEqual(got.allowedMentions, { parse: [] });
      assert.equal(got.path, new URL(rx.url).pathname);
      await sleep(300);
      assert.equal(rx.received.length, 1, 'posted once');
    });

    test('204, then 429 with retry_after and the bucket headers, then 5xx: every message arrives once, in order, no sooner than Discord said', async () => {
      rx.script(
        { status: 204, headers: { 'x-ratelimit-limit': '5', 'x-ratelimit-remaining': '4', 'x-ratelimit-reset-after': '1.0' } },
        {
          status: 429,
          headers: {
            'retry-after': '1',
            'x-ratelimit-limit': '5',
            'x-ratelimit-remaining': '0',
            'x-ratelimit-reset-after': '0.8',
            'x-ratelimit-scope': 'shared',
          },
          body: { message: 'You are being rate limited.', retry_after: 0.8, global: false },
        },
        { status: 502 },
        { status: 503 },
      );
      await test3();
      const delivered = await rx.waitForDelivered(3);
      const statuses = rx.received.map((r) => r.status);
      assert.deepEqual(statuses, [204, 429, 502, 503, 204, 204]);
      // The 429'd message is the one tried again, after the 0.8 s Discord asked for.
      assert.equal(rx.received[2].content, rx.received[1].content);
      assert.ok(rx.received[2].at - rx.received[1].at >= 750, `waited ${rx.received[2].at - rx.received[1].at} ms after the 429`);
      // The 5xx retries back off: the second wait is not shorter than half the first ceiling.
      assert.ok(rx.received[3].at - rx.received[2].at >= 90, 'backed off after a 502');
      assert.equal(new Set(delivered.map((d) => d.content)).size, 3, 'three different messages, each once');
      await settled();
      const rows = (await outbox()).filter((r) => r.event_key.startsWith('test:'));
      assert.ok(
        rows.every((r) => r.sent && !r.failed),
        JSON.stringify(rows),
      );
      const status = (await f.api('/api/discord/webhook', { token: leader })).body;
      assert.equal(status.pending, 0);
      assert.equal(status.lastError, null, 'a delivered message clears the error');
    });

    test('a retry_after in milliseconds (as webhook callers have seen) is read as such beside the headers', async () => {
      rx.script({
        status: 429,
        headers: { 'retry-after': '1', 'x-ratelimit-reset-after': '0.6' },
        body: { retry_after: 600, global: false },
      });
      await test3();
      await rx.waitForDelivered(3, 10_000);
      const wait = rx.received[1].at - rx.received[0].at;
      assert.ok(wait >= 550 && wait < 5000, `waited ${wait} ms, not 600 s`);
    });

    test('war events post: a priority mark, a priority target out early, our chain about to break, the war ending', async () => {
      const war = (await f.api('/api/war', { token: leader })).body;
      const target = war.targets.find((t: { status: { state: string } }) => t.status.state === 'Hospital') ?? war.targets[0];
      const mark = await f.api('/api/calls', {
        token: leader,
        body: { ops: [{ op: 'mark', targetId: target.id, mark: 'priority', note: 'top_hitter' }] },
      });
      assert.equal(mark.body.results[0].ok, true, JSON.stringify(mark.body));
      const now = (await f.simControl('/__sim/clock', { advance: 0 })).now as number;
      await f.simControl(`/__sim/players/${target.id}/status`, { state: 'Hospital', until: now + 3600 });
      await f.sync(1001);
      await f.simControl(`/__sim/players/${target.id}/status`, { state: 'Okay' });
      await f.simControl('/__sim/factions/1001/chain', { current: 42, timeout: 40 });
      await f.sync(1001);
      await f.sync(1001); // a second read of the same chain and exit tells nothing new
      await f.simControl('/__sim/wars/5001/end', { winner: 1001 });
      await f.sync(1001);
      const got = (await rx.waitForDelivered(4)).map((r) => r.content);
      const escaped = target.name.replace(/_/g, '\\_');
      assert.match(
        got[0],
        new RegExp(
          `^🎯 Priority target: \\*\\*${escaped}\\*\\* \\[${target.id}\\], marked by .+ \\(top\\\\_hitter\\)\\. Attack: <https://www\\.torn\\.com/loader\\.php\\?sid=attack&user2ID=${target.id}>$`,
        ),
      );
      assert.ok(
        got.some((c) => c.startsWith(`🚨 Priority target **${escaped}** [${target.id}] is out of hospital early`)),
        JSON.stringify(got),
      );
      assert.ok(
        got.some((c) => /^⛓️ Our chain is at 42 and breaks in 0:[34]\d unless someone hits/.test(c)),
        JSON.stringify(got),
      );
      assert.ok(
        got.some((c) => /^🏁 Our ranked war against \*\*.+\*\* is over: \d+ : \d+\.( We (won|lost)\.)?$/.test(c)),
        JSON.stringify(got),
      );
      await sleep(300);
      assert.equal(rx.received.length, 4, `one message per event: ${JSON.stringify(rx.received.map((r) => r.content))}`);
    });

    test('removed: nothing more is queued or posted', async () => {
      const r = await f.api('/api/discord/webhook', { token: leader, method: 'DELETE' });
      assert.equal(r.status, 200);
      assert.equal(r.body.configured, false);
      assert.equal((await f.api('/api/discord/webhook/test', { token: leader, method: 'POST' })).status, 400);
      await sleep(200);
      assert.equal(rx.received.length, 0);
    });

    test('across a restart of the server: what waited is posted once, and a post in flight at the stop is not posted again', async () => {
      assert.equal((await f.api('/api/discord/webhook', { token: leader, body: { url: rx.url } })).status, 200);
      // Discord down: three messages wait; the first post of the next node's run is slow.
      rx.script({ status: 503 }, { status: 503 }, { status: 503 });
      await test3();
      await sleep(300);
      assert.ok(rx.received.length >= 1 && rx.received.every((r) => r.status === 503));
      await f.restart(env());
      leader = await f.signIn(2001);
      const delivered = await rx.waitForDelivered(3).catch(async (e) => assert.fail(`${e.message}\n${JSON.stringify(await outbox())}`));
      assert.equal(new Set(delivered.map((d) => d.content)).size, 3);
      // A post in flight when the server stops is recorded before it exits.
      rx.received.length = 0;
      rx.script({ status: 204, delayMs: 600 });
      assert.equal((await f.api('/api/discord/webhook/test', { token: leader, method: 'POST' })).status, 202);
      while (rx.received.length === 0) await sleep(10);
      await f.restart(env());
      leader = await f.signIn(2001);
      await sleep(500);
      assert.equal(rx.received.length, 1, 'not posted again after the restart');
      await settled();
    });

    if (backend.name === 'postgres') {
      test('two nodes on one database: each message is posted once', async () => {
        const second = await f.startNode({ ...env(), PORT: '0' });
        try {
          // Both nodes' senders look every 50 ms (the second at its default pace, 500 ms).
          const n = 12;
          for (let i = 0; i < n; i++) {
            const base = i % 2 ? f.server.url : second.url;
            const r = await fetch(base + '/api/discord/webhook/test', { method: 'POST', headers: { authorization: `Bearer ${leader}` } });
            assert.equal(r.status, 202);
          }
          const delivered = await rx.waitForDelivered(n);
          await sleep(1000);
          assert.equal(rx.received.length, n, 'no message twice');
          assert.equal(new Set(delivered.map((d) => d.content)).size, n, 'each message once');
          await settled();
        } finally {
          await second.close();
        }
      });
    }
  });
}
