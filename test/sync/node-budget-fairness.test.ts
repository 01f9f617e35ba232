import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { backends } from '../helpers/databases.js';
import { startWarFixture, type WarFixture } from '../helpers/war-fixture.js';
import { manyFactionsLayout } from '../../src/simulator/index.js';
import { TornRecorder } from './torn-recorder.js';
import { scaledSeedIntervals } from '../helpers/scaled-intervals.js';

// Many factions on one node want far more than the node's Torn budget: 20 factions at war, each
// wanting 15 requests a (scaled) minute, 300 in all, against a node budget of 30. The budget must
// be shared in turn, so that no faction waits on the ones that happen to ask first.
const MINUTE_MS = 1200;
const FACTIONS = 20;
const NODE_BUDGET = 30;
const MINUTES = 4;
const layout = { factions: FACTIONS, members: 1 };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

for (const backend of await backends()) {
  describe(`${FACTIONS} factions over a node budget of ${NODE_BUDGET} on ${backend.name}`, () => {
    let f: WarFixture;
    let rec: TornRecorder;
    const factionOfKey = new Map<string, number>();

    before(async () => {
      f = await startWarFixture(backend, {
        env: {
          ...scaledSeedIntervals(MINUTE_MS),
          TORN_PLAYER_BUDGET_PER_MIN: '100',
          TORN_ADDRESS_BUDGET_PER_MIN: String(NODE_BUDGET),
        },
        server: { sync: true, keyBudgetWindowMs: MINUTE_MS },
        sim: { manyFactions: layout },
      });
      for (const faction of manyFactionsLayout(layout)) {
        const player = faction.memberIds[0];
        await f.signIn(player);
        factionOfKey.set(String(player), faction.id);
      }
      // The sign-ins' own Torn requests count in the address's budget: measure once they left its window.
      await sleep(MINUTE_MS);
      rec = new TornRecorder(f.sim.url).start();
      await sleep(MINUTES * MINUTE_MS);
    });
    after(async () => {
      rec.stop();
      await f.close();
    });

    test('every faction gets a fair share of the requests: none starves, none takes several shares', () => {
      const perFaction = new Map<number, number>();
      for (const r of rec.syncRequests()) {
        const faction = factionOfKey.get(String(Number(r.key.slice(4))));
        if (faction !== undefined) perFaction.set(faction, (perFaction.get(faction) ?? 0) + 1);
      }
      const counts = manyFactionsLayout(layout).map((x) => perFaction.get(x.id) ?? 0);
      const total = counts.reduce((a, b) => a + b, 0);
      console.log(`# ${backend.name}: requests per faction over ${MINUTES} budget windows: ${counts.join(' ')} (total ${total})`);
      const share = total / FACTIONS;
      assert.ok(total >= NODE_BUDGET * (MINUTES - 1), `the budget was used: ${total} requests`);
      assert.ok(Math.min(...counts) >= share / 3, `the least served faction got ${Math.min(...counts)} of a fair ${share.toFixed(1)}`);
      assert.ok(Math.max(...counts) <= share * 3, `the most served faction got ${Math.max(...counts)} of a fair ${share.toFixed(1)}`);
    });
  });
}
