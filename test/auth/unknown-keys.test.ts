import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { backends } from '../helpers/databases.js';
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
