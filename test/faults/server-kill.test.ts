import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { backends } from '../helpers/databases.js';
import { api, drillDatabase, drillRounds, signIn, startDrill, type Drill } from '../helpers/outage-drill.js';
import { sleep } from '../helpers/calls.js';

const KILLS = 3;

// The node is killed outright (SIGKILL: no shutdown, streams and transactions cut mid-way) and a
// supervisor starts it again on the same port and database (PGlite on disk, as `npm start` keeps it).
for (const backend of await backends()) {
  describe(`a server killed with SIGKILL and started again (${backend.name})`, { timeout: 10 * 60_000 }, () => {
    let d: Drill;
    let database: Awaited<ReturnType<typeof drillDatabase>>;

    before(
      async () => {
        database = await drillDatabase(backend);
        d = await startDrill(database.url, database.env);
      },
      { timeout: 5 * 60_000 },
    );
    after(async () => {
      await d?.close();
      await database?.close();
    });

    test(
      `${KILLS} kills with streams open and calls going on: calls, sessions and keys survive, and every stream resumes with every event once`,
      { timeout: 10 * 60_000 },
      async () => {
        // Held calls of a second member, and a session that must outlive every kill.
        const other = await signIn(d, 2002);
        const held = await api(d.server, '/api/calls', {
          token: other,
          body: {
            ops: [
              { op: 'call', targetId: 3005 },
              { op: 'call', targetId: 3006 },
            ],
          },
        });
        assert.deepEqual(
          held.body.results.map((r: { ok: boolean }) => r.ok),
          [true, true],
        );

        const report = await drillRounds(d, KILLS, () => d.restart('kill'));

        // Sessions: both tokens still open the war. Calls: 2002's are still held.
        const after = await api(d.server, '/api/war', { token: other });
        assert.equal(after.status, 200, `the session survived: ${JSON.stringify(after.body)}`);
        const calls = (after.body.calls as { targetId: number; callerId: number }[]).filter((c) => c.callerId === 2002);
        assert.deepEqual(calls.map((c) => c.targetId).sort(), [3005, 3006], 'the calls survived');
        // Keys: the restarted node polls Torn with the stored (encrypted) keys: a change in Torn arrives.
        const until = d.sim.now() + 600;
        await fetch(`${d.sim.url}/__sim/players/3020/status`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ state: 'Hospital', until }),
        });
        const deadline = Date.now() + 20_000;
        for (;;) {
          const war = await api(d.server, '/api/war', { token: other });
          const target = (war.body.targets as { id: number; status: { state: string } }[]).find((t) => t.id === 3020);
          if (target?.status.state === 'Hospital') break;
          assert.ok(Date.now() < deadline, `the restarted node never polled Torn with the stored keys: ${JSON.stringify(target)}`);
          await sleep(200);
        }
        console.log(`${KILLS} kills (${backend.name}); ${report.summary}`);
      },
    );
  });
}
