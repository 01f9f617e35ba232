import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { backends } from '../helpers/databases.js';
import { recordedLog } from '../helpers/recorded-log.js';
import { startWarFixture, type WarFixture } from '../helpers/war-fixture.js';
import { Housekeeping } from '../../src/server/housekeeping.js';

for (const backend of await backends()) {
  describe(`housekeeping on ${backend.name}`, () => {
    let f: WarFixture;
    const tokens = new Map<number, string>();

    before(async () => {
      // RETENTION_DAYS reaches the server's housekeeping from the config.
      f = await startWarFixture(backend, { env: { RETENTION_DAYS: '7' } });
      for (const id of [2001, 2002, 2003, 2004]) tokens.set(id, await f.signIn(id));
      await f.sync(1001);
    });
    after(() => f.close());

    async function call(playerId: number, op: 'call' | 'release', targetId: number): Promise<void> {
      const r = await f.api('/api/calls', { token: tokens.get(playerId), body: { ops: [{ op, targetId }] } });
      assert.equal(r.body.results?.[0]?.ok, true, JSON.stringify(r.body));
    }

    async function count(sql: string, params: unknown[] = []): Promise<number> {
      return (await f.db.query<{ n: number }>(`select count(*)::int as n from ${sql}`, params)).rows[0].n;
    }

    test('expired sessions go at once, with the keys of members left with none; ended calls and disabled keys go once older than RETENTION_DAYS', async () => {
      // Calls: one ended 8 days ago (goes), one ended 6 days ago (stays), one open for 8 days (stays: not ended).
      for (const t of [3001, 3002]) {
        await call(2001, 'call', t);
        await call(2001, 'release', t);
      }
      await call(2002, 'call', 3003);
      await f.db.query(`update calls set ended_at = now() - interval '8 days' where target_id = 3001`);
      await f.db.query(`update calls set ended_at = now() - interval '6 days' where target_id = 3002`);
      await f.db.query(`update calls set created_at = now() - interval '8 days' where target_id = 3003`);
      // Sessions: 2002's expired a moment ago (its key goes with it).
      await f.db.query(`update sessions set expires_at = now() - interval '1 second' where player_id = 2002`);
      // Keys: 2003's disabled 8 days ago (goes), 2004's 6 days ago (stays), 2001's active and untouched for 8 days (stays).
      await f.db.query(`update api_keys set state = 'disabled', updated_at = now() - interval '8 days' where player_id = 2003`);
      await f.db.query(`update api_keys set state = 'disabled', updated_at = now() - interval '6 days' where player_id = 2004`);
      await f.db.query(`update api_keys set updated_at = now() - interval '8 days' where player_id = 2001`);

      assert.deepEqual(await f.server.housekeeping.purgeNow(), { sessions: 1, calls: 1, keys: 2 });

      assert.equal(await count(`calls where target_id = 3001`), 0);
      assert.equal(await count(`calls where target_id = 3002`), 1);
      assert.equal(await count(`calls where target_id = 3003 and state = 'called'`), 1);
      assert.equal((await f.api('/api/war', { token: tokens.get(2002) })).status, 401);
      assert.equal(await count(`sessions where player_id = 2002`), 0);
      assert.equal(await count(`sessions`), 3);
      assert.equal(await count(`api_keys where player_id = any($1::int[])`, [[2002, 2003]]), 0);
      assert.equal(await count(`api_keys where player_id = any($1::int[])`, [[2001, 2004]]), 2);
      // The open call is still the board's.
      const snap = (await f.api('/api/war', { token: tokens.get(2001) })).body;
      assert.deepEqual(
        snap.calls.map((c: any) => c.targetId),
        [3003],
      );

      assert.deepEqual(await f.server.housekeeping.purgeNow(), { sessions: 0, calls: 0, keys: 0 }, 'nothing twice');
    });

    test('two sweeps at once (two nodes) delete each old row once, and neither fails', async () => {
      await call(2001, 'call', 3005);
      await call(2001, 'release', 3005);
      await f.db.query(`update calls set ended_at = now() - interval '30 days' where target_id = 3005`);
      await f.db.query(`update sessions set expires_at = now() - interval '1 second' where player_id = 2004`);
      await f.db.query(`update api_keys set updated_at = now() - interval '30 days' where player_id = 2004`);

      const { log, lines } = recordedLog();
      const other = new Housekeeping({ db: f.db, log, clock: f.server.ctx.clock, callTtlMs: 900_000, retentionDays: 7 });
      const [a, b] = await Promise.all([f.server.housekeeping.purgeNow(), other.purgeNow()]);
      assert.deepEqual(
        { sessions: a.sessions + b.sessions, calls: a.calls + b.calls, keys: a.keys + b.keys },
        { sessions: 1, calls: 1, keys: 1 },
      );
      assert.equal(await count(`calls where target_id = 3005`), 0);
      assert.equal(await count(`api_keys where player_id = 2004`), 0);
      assert.ok(!lines.some((l) => l.level >= 40), `no warning: ${JSON.stringify(lines)}`);
      if (b.sessions + b.calls + b.keys > 0) {
        const line = lines.find((l) => l.msg === 'housekeeping deleted old rows');
        assert.deepEqual([line?.sessions, line?.calls, line?.keys, line?.retentionDays], [b.sessions, b.calls, b.keys, 7]);
      }
    });

    test('a sweep logs what it deleted, by table', async () => {
      await f.db.query(`update sessions set expires_at = now() - interval '1 second' where player_id = 2003`);
      const { log, lines } = recordedLog();
      const hk = new Housekeeping({ db: f.db, log, clock: f.server.ctx.clock, callTtlMs: 900_000 });
      assert.deepEqual(await hk.purgeNow(), { sessions: 1, calls: 0, keys: 0 });
      const line = lines.find((l) => l.msg === 'housekeeping deleted old rows');
      assert.deepEqual([line?.sessions, line?.calls, line?.keys, line?.retentionDays], [1, 0, 0, 30], 'RETENTION_DAYS defaults to 30');
      assert.equal((await hk.purgeNow()).sessions, 0);
      assert.equal(lines.filter((l) => l.msg === 'housekeeping deleted old rows').length, 1, 'a sweep that deleted nothing says nothing');
    });
  });
}
