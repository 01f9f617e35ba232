import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { backends } from '../helpers/databases.js';
import { startWarFixture, type WarFixture } from '../helpers/war-fixture.js';
import { TornRecorder } from './torn-recorder.js';

// The seed's intervals scaled down 50 times, the budget window with them: one "war-minute" lasts
// 1.2 s. Per war-minute: 12 enemy polls + 1 war check + 2 own-faction refreshes + 1 chain report (Torn's
// real hits, once a war-minute while the war runs) = 16 requests (our chain, idle in this war, comes
// with the own-faction refreshes: no request of its own).
const MINUTE_MS = 1200;
// The budget counts a request when its key is taken; the recorder sees it when it reaches Torn, a few
// ms later (more under load). On a 1.2 s scaled minute that delay matters, so windows are measured
// 5% shorter than the budget's: a real overrun still shows, the send delay does not.
const MEASURED_WINDOW_MS = MINUTE_MS * 0.95;
const BUDGET = 20;
const ENV = {
  TARGET_STATUS_REFRESH_INTERVAL_MS: String(MINUTE_MS / 12),
  WAR_CHECK_INTERVAL_MS: String(MINUTE_MS),
  OWN_FACTION_REFRESH_INTERVAL_MS: String(MINUTE_MS / 2),
  TORN_KEY_BUDGET_PER_MIN: String(BUDGET),
};
// Three war-minutes: over two, a poll that slips past a window's end on a loaded machine moved a
// rate by half a request.
const MEASURED_MINUTES = 3;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

for (const backend of await backends()) {
  describe(`Torn requests per war on ${backend.name}`, () => {
    const perMinute = new Map<number, number>();
    let f: WarFixture;
    let rec: TornRecorder;

    // One server, members signing in as it goes: 1, then 5, then 25, each measured for whole war-minutes.
    before(async () => {
      f = await startWarFixture(backend, { env: ENV, server: { sync: true, keyBudgetWindowMs: MINUTE_MS } });
      rec = new TornRecorder(f.sim.url).start();
    });
    after(async () => {
      rec.stop();
      await f.close();
    });

    for (const [i, members] of [1, 5, 25].entries()) {
      test(`with ${members} member(s) signed in the simulator counts about 16 requests per war-minute and no key passes its budget`, async () => {
        for (let id = 2001 + [0, 1, 5][i]; id < 2001 + members; id++) await f.signIn(id);
        // Let sign-ins and any first run settle, then count whole war-minutes.
        await sleep(MINUTE_MS / 4);
        const before = (await f.simControl('/__sim/stats')).total;
        const from = Date.now();
        await sleep(MEASURED_MINUTES * MINUTE_MS);
        const to = Date.now();
        const counted = (await f.simControl('/__sim/stats')).total - before;
        const rate = counted / MEASURED_MINUTES;
        perMinute.set(members, rate);
        const during = rec.syncRequests(from, to);
        const max = rec.maxPerKeyInWindow(MEASURED_WINDOW_MS, during);
        console.log(`# ${backend.name}, ${members} member(s): ${rate} requests per war-minute; busiest key ${JSON.stringify(max)}`);
        assert.ok(Math.abs(rate - 16) <= 1.5, `${rate} requests per war-minute with ${members} member(s)`);
        assert.equal(during.length, rec.requests.filter((r) => r.at >= from && r.at < to).length, 'only the war sync asked Torn');
        assert.ok(max.count > 0 && max.count <= BUDGET, `key ${max.key} made ${max.count} requests in one window (budget ${BUDGET})`);
        assert.equal(new Set(during.map((r) => r.key)).size, Math.min(members, during.length), 'the load spreads over every member key');
      });
    }

    test('1, 5 and 25 members cost the same requests per war-minute (within 1.5, as each is of 16)', () => {
      const rates = [...perMinute.values()];
      assert.equal(rates.length, 3);
      assert.ok(Math.max(...rates) - Math.min(...rates) <= 1.5, `per war-minute: ${JSON.stringify(Object.fromEntries(perMinute))}`);
    });
  });

  describe(`the key budget on ${backend.name}, one member and a budget below what the war needs`, () => {
    let f: WarFixture;
    let rec: TornRecorder;

    before(async () => {
      f = await startWarFixture(backend, {
        env: { ...ENV, TORN_KEY_BUDGET_PER_MIN: '8' },
        server: { sync: true, keyBudgetWindowMs: MINUTE_MS },
      });
      rec = new TornRecorder(f.sim.url).start();
      await f.signIn(2001);
      await sleep(3 * MINUTE_MS);
    });
    after(async () => {
      rec.stop();
      await f.close();
    });

    test('the key is used up to its budget and no further: the sync waits for it instead', () => {
      const max = rec.maxPerKeyInWindow(MEASURED_WINDOW_MS);
      assert.equal(max.count, 8, `busiest window: ${max.count}`);
      const total = rec.syncRequests().length;
      assert.ok(total <= 8 * 4 && total >= 8 * 2, `${total} requests in 3 war-minutes at 8 per minute`);
    });
  });
}
