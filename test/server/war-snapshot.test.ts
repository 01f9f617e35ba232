import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { backends } from '../helpers/databases.js';
import { startWarFixture, type WarFixture } from '../helpers/war-fixture.js';

async function simPlayers(f: WarFixture): Promise<Map<number, any>> {
  const state = await (await fetch(f.sim.url + '/__sim/state')).json();
  const list: any[] = Array.isArray(state.players) ? state.players : Object.values(state.players);
  return new Map(list.map((p) => [Number(p.id), p]));
}

for (const backend of await backends()) {
  describe(`war snapshot on ${backend.name}`, () => {
    let f: WarFixture;
    let member: string;
    before(async () => {
      f = await startWarFixture(backend);
      member = await f.signIn(2001);
    });
    after(() => f.close());

    test('before any sync a member sees no war and no targets', async () => {
      const r = await f.api('/api/war', { token: member });
      assert.equal(r.status, 200);
      assert.equal(r.body.war, null);
      assert.deepEqual(r.body.targets, []);
      assert.deepEqual(r.body.calls, []);
      assert.equal(r.body.seq, 0);
      assert.ok(Math.abs(r.body.serverTime - Date.now() / 1000) < 5);
    });

    test("after one sync the snapshot lists the 25 members of 1002 with the simulator's statuses", async () => {
      await f.sync(1001);
      const r = await f.api('/api/war', { token: member });
      assert.equal(r.status, 200);
      assert.equal(r.body.war.id, 5001);
      assert.deepEqual(r.body.war.enemy, { id: 1002, name: 'Demo Rivals' });
      assert.equal(r.body.war.active, true);
      assert.equal(r.body.targets.length, 25);
      const sim = await simPlayers(f);
      for (const t of r.body.targets) {
        assert.ok(t.id >= 3001 && t.id <= 3025);
        const p = sim.get(t.id);
        assert.equal(t.name, p.name);
        assert.equal(t.status.state, p.status.state, `state of ${t.id}`);
        assert.equal(t.status.until, p.status.until || null, `until of ${t.id}`);
        assert.equal(t.links.profile, `https://www.torn.com/profiles.php?XID=${t.id}`);
        assert.equal(t.links.attack, `https://www.torn.com/page.php?sid=attack&user2ID=${t.id}`);
        assert.equal(typeof t.lastAction.timestamp, 'number');
        assert.equal(typeof t.level, 'number');
      }
      const log = (await f.api('/api/events?since=0&wait=0', { token: member })).body.events;
      assert.equal(log.at(-1).id, r.body.seq);
      assert.equal(log.filter((e: any) => e.event === 'target_status').length, 25, 'each new target is one target_status event');
      assert.equal(log.filter((e: any) => e.event === 'war' && e.data.state === 'started').length, 1);
      assert.equal(r.body.summary.counts.total, 25);
    });

    test('a status changed through the simulator shows after the next sync, and only changes become events', async () => {
      const before = (await f.api('/api/war', { token: member })).body.seq;
      await f.sync(1001);
      assert.equal((await f.api('/api/war', { token: member })).body.seq, before, 'nothing changed, nothing logged');
      const until = Math.floor(f.sim.now()) + 1800;
      await f.simControl('/__sim/players/3007/status', { state: 'Hospital', until, description: 'In hospital for 30 mins' });
      await f.sync(1001);
      const r = await f.api('/api/war', { token: member });
      const t = r.body.targets.find((x: any) => x.id === 3007);
      assert.equal(t.status.state, 'Hospital');
      assert.equal(t.status.until, until);
      const ev = await f.api(`/api/events?since=${before}&wait=0`, { token: member });
      const statuses = ev.body.events.filter((e: any) => e.event === 'target_status');
      assert.equal(statuses.length, 1, 'one status changed, one target_status event');
      assert.equal(statuses[0].data.targetId, 3007);
      assert.equal(statuses[0].data.until, until);
      assert.equal(ev.body.events.at(-1).id, r.body.seq);
    });

    test("a member of 1002 sees 1001's members as targets", async () => {
      const rival = await f.signIn(3001);
      await f.sync(1002);
      const r = await f.api('/api/war', { token: rival });
      assert.equal(r.body.war.enemy.id, 1001);
      assert.equal(r.body.targets.length, 25);
      assert.ok(r.body.targets.every((t: any) => t.id >= 2001 && t.id <= 2025));
    });
  });
}
