import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { backends } from '../helpers/databases.js';
import { demoKey, startWarFixture, type WarFixture } from '../helpers/war-fixture.js';
import type { Snapshot } from '../../src/protocol/snapshot.js';
import type { LongPollResponse, WarEvent } from '../../src/protocol/events.js';

// Issue 20 item 4: right after a faction's first sign-in the board is empty for a reason, and
// when Torn cannot be read members hear why. The background poller is off: each read is a forced sync.
for (const backend of await backends()) {
  describe(`the first read of a faction and Torn read problems on ${backend.name}`, () => {
    let f: WarFixture;
    let token: string;
    const snapshot = async (): Promise<Snapshot> => {
      const r = await f.api<Snapshot>('/api/war', { token });
      assert.equal(r.status, 200);
      return r.body;
    };
    const syncEvents = async (since: number): Promise<WarEvent<'sync_status'>[]> => {
      const r = await f.api<LongPollResponse>(`/api/events?since=${since}&wait=0`, { token });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      return r.body.events.filter((e): e is WarEvent<'sync_status'> => e.event === 'sync_status');
    };

    before(async () => {
      f = await startWarFixture(backend);
      token = await f.signIn(2001);
    });
    after(async () => {
      await f?.close();
    });

    test('before the first read the snapshot says it is running, with no targets', async () => {
      const s = await snapshot();
      assert.deepEqual(s.sync, { firstReadDone: false, problem: null });
      assert.equal(s.targets.length, 0);
    });

    test("Torn blocking the node's IP (error 8): the snapshot and a sync_status event say Torn cannot be read", async () => {
      const seq = (await snapshot()).seq;
      await f.simControl(`/__sim/keys/${demoKey(2001)}/error`, { code: 8 });
      await f.sync(1001);
      const s = await snapshot();
      assert.equal(s.sync.firstReadDone, false);
      assert.equal(s.sync.problem?.code, 'node_backed_off');
      assert.match(s.sync.problem.message, /Torn/);
      const events = await syncEvents(seq);
      assert.equal(events.length, 1, 'one event for the change');
      assert.deepEqual(events[0].data, s.sync);
      // The same problem again changes nothing members see: no second event.
      await f.sync(1001);
      assert.equal((await syncEvents(seq)).length, 1);
    });

    test('once Torn answers, the first read lands with the targets and the problem clears', async () => {
      const seq = (await snapshot()).seq;
      await f.simControl(`/__sim/keys/${demoKey(2001)}/error`, { code: null });
      await f.sync(1001);
      const s = await snapshot();
      assert.deepEqual(s.sync, { firstReadDone: true, problem: null });
      assert.ok(s.targets.length > 0, 'the targets came with the first read');
      const events = await syncEvents(seq);
      assert.deepEqual(events.at(-1)?.data, { firstReadDone: true, problem: null });
    });
  });
}
