// The enemy's chain, against the simulator: read from the ranked war's own answer (`wars.ranked.factions[].chain`),
// stored per war, in the snapshot, and an `enemy_chain` event only when their count changes; a rise
// starts Torn's five-minute timer, a drop a new chain. It costs no Torn request: a sync asks Torn
// exactly what it asked before it was read.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { backends } from '../helpers/databases.js';
import { startWarFixture, type WarFixture } from '../helpers/war-fixture.js';

type Ev = { id: number; event: string; data: any };

for (const backend of await backends()) {
  describe(`the enemy's chain from the war's answer on ${backend.name}`, () => {
    let f: WarFixture;
    let token: string;
    let seen = 0;
    const newEvents = async (): Promise<Ev[]> => {
      const events: Ev[] = (await f.api(`/api/events?since=${seen}&wait=0`, { token })).body.events;
      if (events.length) seen = events.at(-1)!.id;
      return events;
    };
    const enemyChainEvents = async () => (await newEvents()).filter((e) => e.event === 'enemy_chain').map((e) => e.data);
    const snapshot = async () => (await f.api('/api/war', { token })).body;
    /** The simulator's own answer: what Torn's war lists for the enemy. */
    const tornCount = async () => {
      const wars = (await (await fetch(`${f.sim.url}/v2/faction/1001/wars?key=demo000000002001&timestamp=${Date.now()}`)).json()) as any;
      return wars.wars.ranked.factions.find((s: { id: number }) => s.id === 1002).chain as number;
    };
    const requests = async () => ((await f.simControl('/__sim/stats')) as { total: number }).total;

    before(async () => {
      f = await startWarFixture(backend, { env: { TORN_PLAYER_BUDGET_PER_MIN: '100' } });
      token = await f.signIn(2001);
      assert.equal(await f.server.ctx.sync.syncClock(1001), true);
      await f.sync(1001);
    });
    after(() => f.close());

    test('first count: in the snapshot with no timer; a rise: an event, breaksBy five minutes after the read; the same count: nothing', async () => {
      const first = (await snapshot()).enemyChain;
      assert.ok(first, 'read with the first sync');
      assert.equal(first.warId, 5001);
      assert.equal(first.factionId, 1002);
      assert.equal(first.current, await tornCount());
      assert.equal(first.breaksBy, null, 'the first count says nothing of when their last hit was');
      await newEvents();

      await f.simControl('/__sim/factions/1002/chain', { hits: 7 });
      const expected = await tornCount();
      await f.sync(1001);
      const events = await enemyChainEvents();
      assert.equal(events.length, 1, JSON.stringify(events));
      assert.equal(events[0].current, expected);
      assert.equal(events[0].breaksBy, events[0].seenAt + 300);
      assert.equal(events[0].since, first.current > 0 ? first.since : events[0].seenAt);
      assert.deepEqual((await snapshot()).enemyChain, events[0]);

      await f.sync(1001);
      assert.deepEqual(await enemyChainEvents(), [], 'the same count sends nothing');
    });

    test('a break: an event with the count at 0 and no timer; the next chain is a new one (a new since)', async () => {
      const before = (await snapshot()).enemyChain;
      await f.simControl('/__sim/factions/1002/chain', { current: 0 });
      await f.sync(1001);
      const [broke] = await enemyChainEvents();
      assert.deepEqual([broke.current, broke.breaksBy], [0, null]);
      await f.simControl('/__sim/clock', { advance: 30 });
      await f.server.ctx.sync.syncClock(1001);
      await f.simControl('/__sim/factions/1002/chain', { hits: 3 });
      await f.sync(1001);
      const [again] = await enemyChainEvents();
      assert.equal(again.current, 3);
      assert.ok(again.since > before.since, 'a new chain');
      assert.equal(again.breaksBy, again.seenAt + 300);
    });

    test('no Torn request of its own: a sync asks Torn as much whatever their chain does', async () => {
      const cost = async (change: () => Promise<unknown>) => {
        await change();
        const from = await requests();
        await f.sync(1001);
        return (await requests()) - from;
      };
      const still = await cost(async () => {});
      const moved = await cost(() => f.simControl('/__sim/factions/1002/chain', { hits: 5 }));
      assert.equal(moved, still, `${moved} requests with their chain moving, ${still} without`);
      assert.equal((await enemyChainEvents()).length, 1);
    });
  });
}
