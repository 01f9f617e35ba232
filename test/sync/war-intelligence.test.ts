// What the war sync learns from Torn beyond states, against the simulator: exits before `until`
// (medded out, revived) and exits that ran out, flights timed from Torn's table, hospitals abroad
// left out of "next exits", the revive flags, calls that wait for an exit, a hospital stay replaced
// between two polls, our chain (an event only when members would see a change) and our positions.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { backends } from '../helpers/databases.js';
import { startWarFixture, type WarFixture } from '../helpers/war-fixture.js';
import { FLIGHT_MINUTES } from '../../src/war/travel.js';
import { readChain } from '../../src/war/chain.js';

type Ev = { id: number; event: string; data: any };

for (const backend of await backends()) {
  describe(`war intelligence from Torn on ${backend.name}`, () => {
    let f: WarFixture;
    let token: string;
    let seen = 0;
    const simNow = async (): Promise<number> => (await f.simControl('/__sim/clock', { advance: 0 })).now;
    const advance = async (seconds: number) => {
      await f.simControl('/__sim/clock', { advance: seconds });
      assert.equal(await f.server.ctx.sync.syncClock(1001), true);
    };
    const status = (id: number, body: Record<string, unknown>) => f.simControl(`/__sim/players/${id}/status`, body);
    const newEvents = async (): Promise<Ev[]> => {
      const events: Ev[] = (await f.api(`/api/events?since=${seen}&wait=0`, { token })).body.events;
      if (events.length) seen = events.at(-1)!.id;
      return events;
    };
    const statusOf = (events: Ev[], targetId: number) => events.filter((e) => e.event === 'target_status' && e.data.targetId === targetId);
    const snapshot = async () => (await f.api('/api/war', { token })).body;
    const targetOf = async (id: number) => (await snapshot()).targets.find((t: { id: number }) => t.id === id);
    const call = async (who: string, targetId: number) => {
      const r = await f.api('/api/calls', { token: who, body: { ops: [{ op: 'call', targetId }] } });
      assert.equal(r.body.results[0].ok, true, JSON.stringify(r.body));
      return r.body.results[0].call;
    };

    before(async () => {
      // Every forced sync counts in the budget: enough for a file of them.
      f = await startWarFixture(backend, { env: { TORN_PLAYER_BUDGET_PER_MIN: '100' } });
      token = await f.signIn(2001);
      assert.equal(await f.server.ctx.sync.syncClock(1001), true);
      // Every target starts in Torn City and Okay, but one seen for the first time in the air.
      for (let id = 3001; id <= 3025; id++) await status(id, { state: 'Okay' });
      await status(3020, { state: 'Traveling', destination: 'Japan' });
      await f.sync(1001);
      await newEvents();
    });
    after(() => f.close());

    test('a target medded out before its until: target_status with previous and early, and earlyExitAt on the board', async () => {
      const until = (await simNow()) + 900;
      await status(3001, { state: 'Hospital', until });
      await f.sync(1001);
      const into = statusOf(await newEvents(), 3001);
      assert.deepEqual(
        into.map((e) => [e.data.state, e.data.previous, e.data.early]),
        [['Hospital', { state: 'Okay', until: null }, undefined]],
      );
      await f.simControl('/__sim/players/3001/discharge', {});
      const at = await simNow();
      await f.sync(1001);
      const out = statusOf(await newEvents(), 3001);
      assert.equal(out.length, 1);
      assert.deepEqual([out[0].data.state, out[0].data.previous, out[0].data.early], ['Okay', { state: 'Hospital', until }, true]);
      const t = await targetOf(3001);
      assert.ok(Math.abs(t.earlyExitAt - at) <= 2, `earlyExitAt ${t.earlyExitAt} is when the exit was seen (${at})`);
    });

    test('a stay that runs out is an exit, not an early one', async () => {
      const until = (await simNow()) + 60;
      await status(3002, { state: 'Hospital', until });
      await f.sync(1001);
      await newEvents();
      await advance(61);
      await f.sync(1001);
      const out = statusOf(await newEvents(), 3002);
      assert.deepEqual(
        out.map((e) => [e.data.state, e.data.previous, e.data.early]),
        [['Okay', { state: 'Hospital', until }, false]],
      );
      assert.equal((await targetOf(3002)).earlyExitAt, null);
    });

    test("a flight seen starting lands after Torn's flight time; landed it is abroad; a flight first seen in the air has no eta", async () => {
      const seenFlying = (await targetOf(3020)).travel;
      assert.deepEqual(
        { ...seenFlying, ticket: undefined },
        { destination: 'Japan', direction: 'outbound', ticket: undefined, eta: null, earliestEta: null },
      );
      await status(3003, { state: 'Traveling', destination: 'Japan' });
      const from = await simNow();
      await f.sync(1001);
      const to = await simNow();
      const [out] = statusOf(await newEvents(), 3003);
      const { standard, business } = FLIGHT_MINUTES.Japan;
      assert.equal(out.data.travel.direction, 'outbound');
      assert.equal(out.data.travel.destination, 'Japan');
      assert.ok(out.data.travel.eta >= from + standard * 60 - 1 && out.data.travel.eta <= to + standard * 60 + 1, 'eta: seen + standard');
      assert.equal(out.data.travel.eta - out.data.travel.earliestEta, (standard - business) * 60, 'an airliner: standard or business');
      assert.equal(out.data.travel.ticket, null);
      assert.deepEqual((await targetOf(3003)).travel, out.data.travel, 'the board shows the same');

      await advance(120);
      await f.sync(1001);
      assert.equal(statusOf(await newEvents(), 3003).length, 0, 'the same flight is no change');
      assert.equal((await targetOf(3003)).travel.eta, out.data.travel.eta, 'and keeps its eta');

      await status(3003, { state: 'Abroad', destination: 'Japan' });
      await f.sync(1001);
      const [abroad] = statusOf(await newEvents(), 3003);
      assert.deepEqual(abroad.data.travel, { destination: 'Japan', direction: 'abroad', ticket: null, eta: null, earliestEta: null });

      // Home on a WLT jet: Torn shows a private_jet, one ticket, one landing time.
      await status(3003, { state: 'Traveling', destination: 'Japan', returning: true, ticket: 'private' });
      const back = await simNow();
      await f.sync(1001);
      const [home] = statusOf(await newEvents(), 3003);
      assert.equal(home.data.description, 'Traveling from Japan to Torn');
      assert.equal(home.data.travel.direction, 'returning');
      assert.equal(home.data.travel.ticket, 'private');
      assert.ok(Math.abs(home.data.travel.eta - (back + FLIGHT_MINUTES.Japan.private * 60)) <= 2);
      assert.equal(home.data.travel.earliestEta, home.data.travel.eta);
    });

    test('a hospital abroad carries its country and is not among the next exits; one in Torn City is', async () => {
      const now = await simNow();
      await status(3004, { state: 'Hospital', until: now + 10, destination: 'Switzerland' });
      await status(3005, { state: 'Hospital', until: now + 20 });
      await f.sync(1001);
      const events = await newEvents();
      const [swiss] = statusOf(events, 3004);
      assert.equal(swiss.data.hospitalCountry, 'Switzerland');
      assert.deepEqual(swiss.data.travel, { destination: 'Switzerland', direction: 'abroad', ticket: null, eta: null, earliestEta: null });
      assert.equal(statusOf(events, 3005)[0].data.hospitalCountry, null);
      const summary = (await snapshot()).summary;
      assert.equal(summary.counts.hospital >= 2, true, 'both count as in hospital');
      assert.equal(summary.nextExits[0].targetId, 3005, 'the Torn City stay is the next exit');
      assert.ok(!summary.nextExits.some((e: { targetId: number }) => e.targetId === 3004), 'the Swiss one, sooner, is left out');
      assert.equal((await targetOf(3004)).hospitalCountry, 'Switzerland');
    });

    test("Torn's is_revivable and has_early_discharge are carried on the target", async () => {
      await status(3006, { state: 'Hospital', earlyDischarge: true, revivable: false });
      await status(3007, { state: 'Hospital' });
      await f.sync(1001);
      const events = await newEvents();
      const [a] = statusOf(events, 3006);
      assert.deepEqual([a.data.isRevivable, a.data.hasEarlyDischarge], [false, true]);
      const t = await targetOf(3006);
      assert.deepEqual([t.isRevivable, t.hasEarlyDischarge], [false, true]);
      assert.equal((await targetOf(3001)).isRevivable, false, 'out of hospital nobody is revivable');
    });

    test('a call on a target in hospital waits for its exit, and starts when the target is medded out', async () => {
      const until = (await simNow()) + 900;
      await status(3008, { state: 'Hospital', until });
      await f.sync(1001);
      const made = await call(token, 3008);
      assert.equal(made.waitingForExit, true);
      await newEvents();
      await f.simControl('/__sim/players/3008/discharge', {});
      const exitAt = await simNow();
      await f.sync(1001);
      const events = await newEvents();
      // The call's own event may come in this batch too (the log is read as it stands): the start is the one not waiting.
      const started = events.filter((e) => e.event === 'target_call' && e.data.targetId === 3008 && !e.data.waitingForExit);
      assert.deepEqual(
        started.map((e) => e.data.state),
        ['called'],
      );
      // Waiting, its expiry was an estimate, the stay's until plus the TTL; now it is the exit plus the TTL.
      const ttl = made.expiresAt - until;
      assert.ok(
        Math.abs(started[0].data.expiresAt - (exitAt + ttl)) <= 2,
        `expires ${started[0].data.expiresAt - exitAt} s after the exit (TTL ${ttl} s)`,
      );
      assert.ok(
        events.findIndex((e) => e.event === 'target_status' && e.data.targetId === 3008) < events.indexOf(started[0]),
        'after the exit it follows from',
      );
    });

    test('a stay replaced by a later one between two polls is an exit and a new hit: the call on it ends hit', async () => {
      const other = await f.signIn(2002);
      const until = (await simNow()) + 30;
      await status(3009, { state: 'Hospital', until });
      await f.sync(1001);
      await call(other, 3009);
      await newEvents();
      await advance(40);
      await status(3009, { state: 'Hospital', until: (await simNow()) + 600 });
      await f.sync(1001);
      const events = await newEvents();
      const [s] = statusOf(events, 3009);
      assert.deepEqual([s.data.previous, s.data.early], [{ state: 'Hospital', until }, false]);
      const ended = events.filter((e) => e.event === 'target_call' && e.data.targetId === 3009).at(-1);
      assert.equal(ended?.data.state, 'hit');
    });

    test('our chain is stored and sent when it changes, not while its timeout only counts down', async () => {
      await f.simControl('/__sim/factions/1001/chain', { current: 12 });
      // Torn's chain report (the real hits, at most once a minute) may fall due in the same sync: it is
      // not part of what this counts.
      const withoutReports = async () => {
        const st = (await f.simControl('/__sim/stats')) as { total: number; byEndpoint: Record<string, number> };
        return st.total - Object.entries(st.byEndpoint).reduce((n, [k, v]) => n + (k.includes('chainreport') ? v : 0), 0);
      };
      const before = await withoutReports();
      await f.sync(1001);
      assert.equal((await withoutReports()) - before, 3, 'war check, enemy, and our members with our chain: 3 requests');
      const byEndpoint = (await f.simControl('/__sim/stats')).byEndpoint;
      assert.ok(byEndpoint['/v2/faction/1001?selections=members,chain'] >= 1, JSON.stringify(byEndpoint));
      let chain = (await newEvents()).filter((e) => e.event === 'chain');
      assert.equal(chain.length, 1);
      assert.deepEqual([chain[0].data.factionId, chain[0].data.current, chain[0].data.nextBonus, chain[0].data.max], [1001, 12, 25, 25]);
      const deadline = chain[0].data.at + chain[0].data.timeout;
      assert.ok(Math.abs(deadline - ((await simNow()) + 300)) <= 2, 'at + timeout: when the chain breaks');
      assert.deepEqual((await snapshot()).chain, chain[0].data, 'the snapshot has it');

      await advance(30);
      await f.sync(1001);
      await advance(30);
      await f.sync(1001);
      assert.equal((await newEvents()).filter((e) => e.event === 'chain').length, 0, 'a countdown is no event');
      const stored = await readChain(f.db, 1001);
      assert.equal(stored!.at + stored!.timeout, deadline, 'and the stored deadline stands');

      await f.simControl('/__sim/factions/1001/chain', { hits: 1 });
      await f.sync(1001);
      chain = (await newEvents()).filter((e) => e.event === 'chain');
      assert.deepEqual(
        chain.map((e) => e.data.current),
        [13],
      );
      assert.ok(chain[0].data.timeout >= 298, `a hit resets the timeout upwards (${chain[0].data.timeout} s)`);
      await f.simControl('/__sim/factions/1001/chain', { cooldown: 600 });
      await f.sync(1001);
      chain = (await newEvents()).filter((e) => e.event === 'chain');
      assert.equal(chain.length, 1, 'a cooldown is a change');
      assert.ok(Math.abs(chain[0].data.cooldown - 600) <= 2, `cooldown ${chain[0].data.cooldown} s left`);
    });

    test("our members' faction positions are stored for the players TornCat knows", async () => {
      const position = async (id: number) =>
        (await f.db.query<{ position: string | null }>('select position from players where id = $1', [id])).rows[0]?.position;
      assert.equal(await position(2001), 'Leader');
      assert.equal(await position(2002), 'Co-leader');
      await f.simControl('/__sim/players/2002/position', { position: 'Member' });
      await f.sync(1001);
      assert.equal(await position(2002), 'Member');
    });
  });
}

for (const backend of await backends()) {
  describe(`the cost of our chain in Torn requests on ${backend.name}`, () => {
    let f: WarFixture;
    const chainReads = async (): Promise<number> => (await f.simControl('/__sim/stats')).byEndpoint['/v2/faction/1001/chain'] ?? 0;
    /** One unforced run of the faction's due jobs, once the target interval has passed. */
    const run = async () => {
      await new Promise((r) => setTimeout(r, 250));
      await f.server.ctx.sync.syncFaction(1001);
    };

    before(async () => {
      f = await startWarFixture(backend, {
        env: { TARGET_STATUS_REFRESH_INTERVAL_MS: '200', OWN_FACTION_REFRESH_INTERVAL_MS: '600000', WAR_CHECK_INTERVAL_MS: '600000' },
      });
      await f.signIn(2001);
      await f.server.ctx.sync.syncFaction(1001);
    });
    after(() => f.close());

    test('an idle chain is read with the member list only; a running one every target interval, on its own', async () => {
      await run();
      await run();
      assert.equal(await chainReads(), 0, 'no chain: no request of its own');
      await f.simControl('/__sim/factions/1001/chain', { hits: 3 });
      await run();
      await run();
      await run();
      // The first run sees the count in the war's answer, then each run reads the chain itself.
      assert.ok((await chainReads()) >= 2, `${await chainReads()} chain reads in three runs`);
      assert.equal((await readChain(f.db, 1001))?.current, 3);
    });
  });
}
