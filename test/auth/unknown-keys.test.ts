import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { backends, sharedBackends } from '../helpers/databases.js';
import { assertLimited, postJson } from '../helpers/rate-limited.js';
import { teardown } from '../helpers/teardown.js';
import { startWarFixture, demoKey } from '../helpers/war-fixture.js';

const [backend] = await backends();

describe(`sign-ins with keys the node does not hold on ${backend.name}`, () => {
  const closeLater = teardown();
  const fixture = async (env: Record<string, string>) => closeLater(await startWarFixture(backend, { env }));

  test('bad keys from many addresses share one node-wide allowance of Torn checks, and cost Torn one request each', async () => {
    // Found by the second hardening pass: 25 addresses sent 500 bad-key sign-ins to Torn in 2.5 s
    // (key/info and the profile, two requests each), the only bound being 10 a minute per address.
    const f = await fixture({ TORNCAT_TRUST_PROXY: '1', SIGN_IN_LIMIT_PER_MIN: '10', UNKNOWN_KEY_CHECKS_PER_MIN: '5' });
    // A member signed in earlier: their stored key is known, and does not spend the allowance.
    assert.equal((await postJson(f, '/api/auth', { apiKey: demoKey(2001) }, { 'x-forwarded-for': '192.0.2.1' })).status, 200);
    await f.simControl('/__sim/reset');
    const statuses: Record<number, number> = {};
    const attempts: Promise<void>[] = [];
    for (let a = 0; a < 25; a++) {
      for (let k = 0; k < 4; k++) {
        const badKey = `bad${String(a * 4 + k).padStart(13, '0')}`;
        attempts.push(
          postJson(f, '/api/auth', { apiKey: badKey }, { 'x-forwarded-for': `198.51.100.${a + 1}` }).then((r) => {
            statuses[r.status] = (statuses[r.status] ?? 0) + 1;
            if (r.status === 429) {
              assertLimited(r);
              assert.match(r.body.error.message, /new API keys on this server/);
            } else assert.equal(r.body.error.code, 'torn_key_rejected', JSON.stringify(r.body));
          }),
        );
      }
    }
    await Promise.all(attempts);
    const stats = await f.simControl('/__sim/stats');
    // The member's first sign-in spent one check of the five; the bucket refills one every 12 s.
    assert.equal((statuses[401] ?? 0) + (statuses[429] ?? 0), 100, JSON.stringify(statuses));
    assert.ok(stats.total >= 4 && stats.total <= 5, `Torn was asked ${stats.total} times: ${JSON.stringify(stats.byEndpoint)}`);
    assert.equal(statuses[401], stats.total, 'each check Torn answered is one refusal');
    assert.deepEqual(Object.keys(stats.byEndpoint), ['/v2/key/info'], 'no profile read for a key key/info refused');
    // The allowance is spent, yet the stored key still signs in.
    assert.equal((await postJson(f, '/api/auth', { apiKey: demoKey(2001) }, { 'x-forwarded-for': '192.0.2.1' })).status, 200);
  });
});

// Torn counts per IP: nodes behind one outgoing address share one allowance (it was one per node).
for (const shared of await sharedBackends()) {
  describe(`sign-ins with unknown keys on two nodes of one egress address on ${shared.name}`, () => {
    const closeLater = teardown();

    test("the two nodes' checks of unknown keys together stay within one allowance, and every sign-in's Torn requests count in the address's budget", async () => {
      const f = closeLater(
        await startWarFixture(shared, {
          env: { TORNCAT_TRUST_PROXY: '1', SIGN_IN_LIMIT_PER_MIN: '100', UNKNOWN_KEY_CHECKS_PER_MIN: '3' },
        }),
      );
      const other = await f.startNode();
      // A member's first sign-in: one check of the three, and two Torn requests (key/info and the profile).
      await f.signIn(2001);
      const statuses: number[] = [];
      for (let i = 0; i < 8; i++) {
        const node = i % 2 === 0 ? f.server.url : other.url;
        const res = await fetch(`${node}/api/auth`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-forwarded-for': `198.51.100.${i + 1}` },
          body: JSON.stringify({ apiKey: `bad${String(i).padStart(13, '0')}` }),
        });
        statuses.push(res.status);
      }
      const stats = await f.simControl('/__sim/stats');
      assert.deepEqual(
        statuses.filter((s) => s === 401).length,
        2,
        `two bad keys checked with Torn through two nodes, the rest refused here: ${JSON.stringify(statuses)}`,
      );
      assert.equal(stats.total, 4, `Torn was asked ${stats.total} times: ${JSON.stringify(stats.byEndpoint)}`);
      // Each Torn request a sign-in sent is counted in the address's budget: key/info alone for a key Torn refused.
      const uses = await f.db.query<{ kind: string; n: number }>(
        `select kind, cardinality(uses) as n from torn_address_budget where address = 'default' order by kind`,
      );
      assert.deepEqual(uses.rows, [
        { kind: 'requests', n: 4 },
        { kind: 'unknown_keys', n: 3 },
      ]);
    });
  });
}
