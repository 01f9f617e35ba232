import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { backends } from '../helpers/databases.js';
import { startWarFixture, type WarFixture } from '../helpers/war-fixture.js';

/** Counts by summary bucket of the enemy faction's statuses as the simulator has them now. */
async function simCounts(f: WarFixture, factionId: number): Promise<Record<string, number>> {
  const state = await (await fetch(f.sim.url + '/__sim/state')).json();
  const counts = { total: 0, okay: 0, hospital: 0, traveling: 0, jail: 0, other: 0 };
  for (const p of state.players) {
    if (p.factionId !== factionId) continue;
    counts.total++;
    const s = p.status.state as string;
    if (s === 'Okay') counts.okay++;
    else if (s === 'Hospital') counts.hospital++;
    else if (s === 'Traveling' || s === 'Abroad') counts.traveling++;
    else if (s === 'Jail' || s === 'Federal') counts.jail++;
    else counts.other++;
  }
  return counts;
}

for (const backend of await backends()) {
  describe(`war start, end and summary on ${backend.name}`, () => {
    let f: WarFixture;
    let token: string;
    let seen = 0;

    /** Events logged since the last call, from the long-poll endpoint. */
    async function newEvents(): Promise<{ id: number; event: string; data: any }[]> {
      const r = await f.api(`/api/events?since=${seen}&wait=0`, { token });
      assert.equal(r.status, 200);
      const events = r.body.events as { id: number; event: string; data: any }[];
      if (events.length) seen = events[events.length - 1].id;
      return events;
    }

    before(async () => {
      f = await startWarFixture(backend);
      token = await f.signIn(2001);
    });
    after(() => f.close());

    test('the first sync records the running war as a war event, creates its targets and sends a summary', async () => {
      await f.sync(1001);
      const events = await newEvents();
      const war = events.filter((e) => e.event === 'war');
      assert.equal(war.length, 1);
      assert.equal(war[0].data.warId, 5001);
      assert.equal(war[0].data.state, 'started');
      assert.equal(events.filter((e) => e.event === 'target_status').length, 25);
      const summaries = events.filter((e) => e.event === 'war_summary');
      assert.equal(summaries.length, 1, 'one summary for the whole sync');
      assert.equal(summaries[0].data.warId, 5001);
      assert.equal(summaries[0].data.counts.total, 25);
    });

    test('summary counts in the snapshot match the simulator statuses after a sync', async () => {
      const now = (await f.simControl('/__sim/clock', { advance: 0 })).now as number;
      await f.simControl('/__sim/players/3001/status', { state: 'Hospital', until: now + 600 });
      await f.simControl('/__sim/players/3002/status', { state: 'Hospital', until: now + 120 });
      await f.simControl('/__sim/players/3003/status', { state: 'Jail', until: now + 900 });
      await f.simControl('/__sim/players/3004/status', { state: 'Traveling' });
      await f.simControl('/__sim/players/3005/status', { state: 'Federal' });
      await f.sync(1001);
      const snap = (await f.api('/api/war', { token })).body;
      const expected = await simCounts(f, 1002);
      const { calls, ...counts } = snap.summary.counts;
      assert.deepEqual(counts, expected);
      assert.equal(calls, 0);
      assert.ok(expected.hospital >= 2 && expected.jail >= 2 && expected.traveling >= 1, 'the statuses set above are there');
      const exits = snap.summary.nextExits.filter((e: any) => e.targetId === 3001 || e.targetId === 3002);
      assert.deepEqual(
        exits.map((e: any) => [e.targetId, e.until]),
        [
          [3002, now + 120],
          [3001, now + 600],
        ],
        'hospital exits in Torn time, soonest first',
      );
    });

    test('only the targets that changed become target_status events, with until in Torn time, followed by one war_summary', async () => {
      const events = await newEvents();
      const status = events.filter((e) => e.event === 'target_status');
      assert.deepEqual(status.map((e) => e.data.targetId).sort(), [3001, 3002, 3003, 3004, 3005]);
      const now = (await f.simControl('/__sim/clock', { advance: 0 })).now as number;
      const h = status.find((e) => e.data.targetId === 3002)!;
      assert.equal(h.data.state, 'Hospital');
      assert.ok(Math.abs(h.data.until - (now + 120)) <= 2, `until ${h.data.until} is Torn time`);
      const last = events[events.length - 1];
      assert.equal(last.event, 'war_summary');
      assert.equal(last.data.counts.hospital, (await simCounts(f, 1002)).hospital);
    });

    test('a sync where nothing changed logs nothing, not even a summary', async () => {
      await f.sync(1001);
      assert.deepEqual(await newEvents(), []);
    });

    test('a call changes the summary: the next sync sends a war_summary counting it', async () => {
      const r = await f.api('/api/calls', { token, body: { ops: [{ op: 'call', targetId: 3010 }] } });
      assert.equal(r.body.results[0].ok, true);
      await newEvents();
      await f.sync(1001);
      const summaries = (await newEvents()).filter((e) => e.event === 'war_summary');
      assert.equal(summaries.length, 1);
      assert.equal(summaries[0].data.counts.calls, 1);
      assert.equal((await f.api('/api/war', { token })).body.summary.counts.calls, 1);
    });

    test('a war ended through the simulator gives a war event, ends open calls and stops enemy polling', async () => {
      await f.simControl('/__sim/wars/5001/end', {});
      await f.sync(1001);
      const events = await newEvents();
      const war = events.find((e) => e.event === 'war');
      assert.ok(war, 'a war event');
      assert.equal(war.data.state, 'ended');
      assert.equal(war.data.warId, 5001);
      const ended = events.find((e) => e.event === 'target_call');
      assert.equal(ended?.data.targetId, 3010);
      assert.equal(ended?.data.state, 'released');
      const snap = (await f.api('/api/war', { token })).body;
      assert.equal(snap.war.active, false);
      assert.deepEqual(snap.calls, []);
      assert.equal(snap.summary.counts.calls, 0);

      const before = (await f.simControl('/__sim/stats')).byEndpoint['/v2/faction/1002?selections=members,wars'];
      await f.sync(1001);
      await f.sync(1001);
      const after = (await f.simControl('/__sim/stats')).byEndpoint['/v2/faction/1002?selections=members,wars'];
      assert.ok(before > 0, 'the enemy was polled during the war');
      assert.equal(after, before, 'no enemy polling once the war is over');
    });

    test('a new war started through the simulator gives a war event and its targets', async () => {
      await f.simControl('/__sim/wars/5002/start', {});
      await f.sync(1001);
      const events = await newEvents();
      const war = events.find((e) => e.event === 'war');
      assert.equal(war?.data.state, 'started');
      assert.equal(war?.data.warId, 5002);
      assert.equal(events.filter((e) => e.event === 'target_status' && e.data.warId === 5002).length, 25);
      const snap = (await f.api('/api/war', { token })).body;
      assert.equal(snap.war.id, 5002);
      assert.equal(snap.targets.length, 25);
      assert.equal(snap.summary.warId, 5002);
    });
  });
}
