import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { backends } from '../helpers/databases.js';
import { demoKey, startWarFixture, type WarFixture } from '../helpers/war-fixture.js';
import { sleep } from '../helpers/calls.js';
import { until } from '../helpers/until.js';

const INTERVAL_MS = 200;
const ENV = {
  TARGET_STATUS_REFRESH_INTERVAL_MS: String(INTERVAL_MS),
  WAR_CHECK_INTERVAL_MS: '2400',
  OWN_FACTION_REFRESH_INTERVAL_MS: '1200',
  TORN_KEY_BUDGET_PER_MIN: '100',
};

/** The value of one sample of the Prometheus text, e.g. `torncat_torn_keys{state="disabled"}`. */
export function metric(text: string, sample: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(sample + ' '));
  return line === undefined ? undefined : Number(line.slice(sample.length + 1));
}

for (const backend of await backends()) {
  describe(`Torn errors on the pooled keys on ${backend.name}`, () => {
    let f: WarFixture;
    const tokens = new Map<number, string>();
    const byKey = async (): Promise<Record<string, number>> => (await f.simControl('/__sim/stats')).byKey;
    const metrics = async () => (await fetch(f.server.url + '/metrics')).text();
    const keyRow = async (playerId: number) =>
      (
        await f.db.query<{ state: string; last_error_code: number | null; last_error: string | null; resting: boolean }>(
          'select state, last_error_code, last_error, coalesce(rest_until > now(), false) as resting from api_keys where player_id = $1',
          [playerId],
        )
      ).rows[0];

    before(async () => {
      f = await startWarFixture(backend, { env: ENV, server: { sync: true } });
      for (const id of [2001, 2002, 2003]) tokens.set(id, await f.signIn(id));
      await until('the poller to use all three keys', async () => {
        const s = await byKey();
        return [2001, 2002, 2003].every((id) => (s[demoKey(id)] ?? 0) >= 4);
      });
    });
    after(() => f.close());

    test('error 2 disables that key with its reason, and polling goes on with the other keys', async () => {
      await f.simControl(`/__sim/keys/${demoKey(2002)}/error`, { code: 2 });
      const row = await until('the key to be disabled', async () => {
        const r = await keyRow(2002);
        return r.state === 'disabled' ? r : undefined;
      });
      assert.equal(row.last_error_code, 2);
      assert.match(row.last_error ?? '', /error 2/);
      const before = await byKey();
      await sleep(5 * INTERVAL_MS);
      const after = await byKey();
      assert.equal(after[demoKey(2002)], before[demoKey(2002)], 'the disabled key is not used any more');
      const others = [2001, 2003].reduce((n, id) => n + after[demoKey(id)] - before[demoKey(id)], 0);
      assert.ok(others >= 4, `the other keys carried on (${others} requests)`);
      const text = await metrics();
      assert.equal(metric(text, 'torncat_torn_keys{state="disabled"}'), 1);
      assert.equal(metric(text, 'torncat_torn_key_actions_total{action="disabled"}'), 1);
    });

    test('the owner of the disabled key is told: key_disabled on their next request, then keyStatus "disabled"', async () => {
      const token = tokens.get(2002)!;
      const first = await f.api('/api/war', { token });
      assert.equal(first.status, 401);
      assert.equal(first.body.error.code, 'key_disabled');
      assert.match(first.body.error.message, /sign in again with a working key/);
      const next = await f.api('/api/war', { token });
      assert.equal(next.status, 200, 'told once; the board still works');
      assert.equal(next.body.me.keyStatus, 'disabled');
      const other = await f.api('/api/war', { token: tokens.get(2001)! });
      assert.equal(other.status, 200);
      assert.equal(other.body.me.keyStatus, 'active');
    });

    test('signing in again with the key once it works makes it active and used again', async () => {
      await f.simControl(`/__sim/keys/${demoKey(2002)}/error`, { code: null });
      tokens.set(2002, await f.signIn(2002));
      assert.equal((await f.api('/api/war', { token: tokens.get(2002)! })).body.me.keyStatus, 'active');
      const before = (await byKey())[demoKey(2002)];
      await until('the key to be used again', async () => (await byKey())[demoKey(2002)] > before + 1);
    });

    test('error 5 makes that key rest: it is not used even once Torn would accept it again, the others carry on', async () => {
      await f.simControl(`/__sim/keys/${demoKey(2003)}/error`, { code: 5 });
      await until('the key to rest', async () => (await keyRow(2003)).resting);
      await f.simControl(`/__sim/keys/${demoKey(2003)}/error`, { code: null });
      const before = await byKey();
      await sleep(5 * INTERVAL_MS);
      const after = await byKey();
      assert.equal(after[demoKey(2003)], before[demoKey(2003)], 'the resting key is left alone');
      assert.ok(after[demoKey(2001)] + after[demoKey(2002)] - before[demoKey(2001)] - before[demoKey(2002)] >= 4);
      assert.equal((await keyRow(2003)).state, 'active', 'resting, not disabled');
      assert.equal((await f.api('/api/war', { token: tokens.get(2003)! })).body.me.keyStatus, 'resting');
    });

    test('error 9 backs every request of the faction off, and polling resumes by itself once Torn answers', async () => {
      const total = async () => (await f.simControl('/__sim/stats')).total as number;
      const normalFrom = await total();
      await sleep(1500);
      const normal = (await total()) - normalFrom;

      for (const id of [2001, 2002]) await f.simControl(`/__sim/keys/${demoKey(id)}/error`, { code: 9 });
      await until('the back-off to start', async () => (metric(await metrics(), 'torncat_torn_backoff_level{faction="1001"}') ?? 0) >= 1);
      const backedFrom = await total();
      await sleep(1500);
      const backedOff = (await total()) - backedFrom;
      assert.ok(backedOff <= 4 && backedOff * 2 < normal, `${backedOff} requests in 1.5 s backing off vs ${normal} normally`);
      assert.ok((metric(await metrics(), 'torncat_torn_backoff_level{faction="1001"}') ?? 0) >= 2, 'the back-off grew');

      for (const id of [2001, 2002]) await f.simControl(`/__sim/keys/${demoKey(id)}/error`, { code: null });
      await until('the back-off to end', async () => metric(await metrics(), 'torncat_torn_backoff_level{faction="1001"}') === 0, 8000);
      const resumedFrom = await total();
      await sleep(1500);
      const resumed = (await total()) - resumedFrom;
      assert.ok(resumed >= normal - 2, `${resumed} requests in 1.5 s after resuming vs ${normal} before`);
      const text = await metrics();
      assert.ok(
        (metric(text, 'torncat_torn_requests_total{endpoint="v2/faction/{id}?selections=members,wars",outcome="global_backoff"}') ?? 0) >=
          1,
      );
      assert.ok((metric(text, 'torncat_torn_requests_total{endpoint="v2/faction/{id}?selections=members,wars",outcome="ok"}') ?? 0) >= 10);
    });
  });
}
