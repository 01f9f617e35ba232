import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { backends } from '../helpers/databases.js';
import { openPgDatabase } from '../../src/db/pg-database.js';
import type { Database, LockSession } from '../../src/db/database.js';
import { NODE_LOCK_SPACE } from '../../src/sync/poller-lock.js';
import { AddressBudget } from '../../src/sync/address-budget.js';
import { forgetGoneNodes, heartbeat, leave } from '../../src/sync/nodes.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

for (const backend of await backends()) {
  describe(`the egress address's Torn budget in the database on ${backend.name}`, () => {
    let opened: Awaited<ReturnType<typeof backend.open>>;
    let db: Database;
    /** A second node's own connections to the same database (PGlite: the same one, as one process has). */
    let other: Database;

    before(async () => {
      opened = await backend.open();
      db = opened.db;
      other = backend.name === 'postgres' ? await openPgDatabase(opened.url) : db;
    });
    after(async () => {
      if (other !== db) await other.close();
      await opened.close();
    });

    test('grants up to the budget in a window, refuses the next until the oldest use leaves it, then grants again', async () => {
      const b = new AddressBudget({ db, address: 'solo', perWindow: 5, windowMs: 800 });
      const first = Date.now();
      for (let i = 0; i < 5; i++) assert.equal((await b.spend()).granted, true, `use ${i + 1} of 5`);
      const refused = await b.spend();
      assert.equal(refused.granted, false);
      assert.equal(refused.used, 5);
      assert.equal(b.remaining(), 0);
      // Each use counts for the window and a 2 % guard for its way to Torn: 816 ms.
      assert.ok(
        refused.availableAt > first + 816 && refused.availableAt < Date.now() + 900,
        `available again at +${refused.availableAt - first} ms`,
      );
      await sleep(refused.availableAt - Date.now() + 50);
      assert.ok(b.remaining() >= 1, 'the estimate lets the oldest use go');
      assert.equal((await b.spend()).granted, true);
      // A window after the last use, every one has left it.
      await sleep(850);
      assert.equal(b.remaining(), 5);
      assert.equal(await b.refresh(), 0);
    });

    test('a forced use is counted past the budget, and refused ones are not counted', async () => {
      const b = new AddressBudget({ db, address: 'forced', perWindow: 2, windowMs: 60_000 });
      await b.spend();
      await b.spend();
      assert.equal((await b.spend()).granted, false);
      const forced = await b.spend({ force: true });
      assert.equal(forced.granted, true);
      assert.equal(forced.used, 3);
      assert.equal(await b.refresh(), 3);
      // Forced far past the budget (a crowd signing in): the row keeps twice the budget, and still refuses.
      for (let i = 0; i < 10; i++) await b.spend({ force: true });
      assert.equal(await b.refresh(), 4);
      assert.equal((await b.spend()).granted, false);
    });

    test('nodes on one address share its budget exactly, however their spends interleave; other addresses and kinds have their own', async () => {
      const budget = 40;
      const a1 = new AddressBudget({ db, address: 'shared', perWindow: budget });
      const a2 = new AddressBudget({ db: other, address: 'shared', perWindow: budget });
      const b = new AddressBudget({ db: other, address: 'elsewhere', perWindow: budget });
      const keys = new AddressBudget({ db, address: 'shared', kind: 'unknown_keys', perWindow: 3 });
      const spends = await Promise.all(Array.from({ length: 150 }, (_, i) => [a1, a2, b][i % 3].spend()));
      const granted = (from: number) => spends.filter((s, i) => i % 3 === from && s.granted).length;
      assert.equal(granted(0) + granted(1), budget, `two nodes together got ${granted(0)} + ${granted(1)}`);
      assert.ok(granted(0) > 0 && granted(1) > 0, 'both nodes were served');
      assert.equal(granted(2), budget, 'the other address has its own budget');
      assert.equal((await keys.spend()).granted, true, 'unknown-key checks are counted apart from requests');
      assert.equal(await a1.refresh(), budget);
    });

    test('the heartbeat lists every live address with its use and budget; a node that leaves, dies or falls silent is not counted', async () => {
      // Each node holds its own lock while it lives, as the war sync does on its lock connection.
      const sessions: LockSession[] = [];
      const hold = async (on: Database, lockId: number) => {
        if (backend.name === 'pglite') {
          // One process: its lock sessions are not real (pglite-database.ts); a plain query takes the lock.
          await on.query('select pg_advisory_lock($1, $2)', [NODE_LOCK_SPACE, lockId]);
          return async () => void (await on.query('select pg_advisory_unlock($1, $2)', [NODE_LOCK_SPACE, lockId]));
        }
        const session = await on.lockSession(() => {});
        sessions.push(session);
        assert.equal(await session.tryLock(NODE_LOCK_SPACE, lockId), true);
        return () => session.close();
      };
      const spend = new AddressBudget({ db, address: 'hb-a', perWindow: 100 });
      for (let i = 0; i < 7; i++) await spend.spend();
      await hold(db, 1);
      const kill2 = await hold(other, 2);
      await hold(db, 4);
      await heartbeat(db, { nodeId: 'n1', lockId: 1, address: 'hb-a', budget: 100, windowMs: 60_000, factions: 4 }, 1000);
      await heartbeat(other, { nodeId: 'n2', lockId: 2, address: 'hb-a', budget: 100, windowMs: 60_000, factions: 2 }, 1000);
      await heartbeat(db, { nodeId: 'n4', lockId: 4, address: 'hb-c', budget: 100, windowMs: 60_000, factions: 1 }, 1000);
      const seen = await heartbeat(db, { nodeId: 'n3', lockId: 3, address: 'hb-b', budget: 50, windowMs: 60_000, factions: 1 }, 1000);
      assert.deepEqual(
        seen.find((s) => s.address === 'hb-a'),
        { address: 'hb-a', nodes: 2, factions: 6, budget: 100, used: 7 },
      );
      assert.deepEqual(
        seen.find((s) => s.address === 'hb-b'),
        { address: 'hb-b', nodes: 1, factions: 1, budget: 50, used: 0 },
        'the node asking counts itself',
      );
      // Killed: its lock connection is gone, and with it the node, before its heartbeats are missed.
      await kill2();
      const afterKill = await heartbeat(db, { nodeId: 'n3', lockId: 3, address: 'hb-b', budget: 50, windowMs: 60_000, factions: 1 }, 1000);
      assert.equal(afterKill.find((s) => s.address === 'hb-a')?.nodes, 1);
      await leave(db, 'n4');
      const afterLeave = await heartbeat(db, { nodeId: 'n3', lockId: 3, address: 'hb-b', budget: 50, windowMs: 60_000, factions: 1 }, 1000);
      assert.equal(
        afterLeave.find((s) => s.address === 'hb-c'),
        undefined,
        'a node that left',
      );
      // A node silent for three beats is gone, lock or not.
      await sleep(350);
      const later = await heartbeat(db, { nodeId: 'n3', lockId: 3, address: 'hb-b', budget: 50, windowMs: 60_000, factions: 1 }, 100);
      assert.deepEqual(
        later.map((s) => s.address),
        ['hb-b'],
      );
      // Its row is kept a day (for whoever reads the table), then housekeeping deletes it.
      await db.query(`update torn_nodes set seen_at = now() - interval '25 hours' where node_id = 'n1'`);
      assert.equal(await forgetGoneNodes(db), 1);
      assert.deepEqual((await db.query('select node_id from torn_nodes order by node_id')).rows, [{ node_id: 'n2' }, { node_id: 'n3' }]);
      for (const session of sessions) await session.close();
    });
  });
}
