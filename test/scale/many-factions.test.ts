import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { backends } from '../helpers/databases.js';
import { sleep } from '../helpers/calls.js';
import {
  countNotifies,
  inParallel,
  percentile,
  serverMemory,
  startManyFactionsWar,
  tornRequests,
  waitStreamsAtHead,
  type FactionAtWar,
  type ManyFactionsWar,
} from './many-factions-war.js';

const FACTIONS = 200;
const MEMBERS = 50;

// Intervals that fit Torn's 1,000 requests a minute from one IP with 200 factions on the node
// (enemy 30 s, war and own faction 60 s: 800 a minute); with the seed's 5 s the node budget, not the
// factions, sets the pace (see the bench).
const ENV = {
  TORN_ADDRESS_BUDGET_PER_MIN: '1000',
  TARGET_STATUS_REFRESH_INTERVAL_MS: '30000',
  WAR_CHECK_INTERVAL_MS: '60000',
  OWN_FACTION_REFRESH_INTERVAL_MS: '60000',
};

// One node, PostgreSQL when there is one (PGlite, inside the server process, otherwise).
const [backend] = await backends();

describe(
  `${FACTIONS} factions at war at once on one node, ${MEMBERS} members each signed in and streaming (${backend.name})`,
  { timeout: 40 * 60_000 },
  () => {
    let war: ManyFactionsWar;
    let database: { url: string; close(): Promise<void> };

    before(
      async () => {
        const opened = await backend.open({ migrated: false });
        await opened.db.close();
        database = opened;
        war = await startManyFactionsWar({ factions: FACTIONS, members: MEMBERS, databaseUrl: opened.url, env: ENV, dynamic: false });
        const t = war.timings;
        console.log(
          `${FACTIONS * MEMBERS} sign-ins ${(t.signIn / 1000).toFixed(1)} s; every war read ${(t.firstSync / 1000).toFixed(1)} s later; ` +
            `${FACTIONS * MEMBERS} streams open in ${(t.streams / 1000).toFixed(1)} s`,
        );
      },
      { timeout: 30 * 60_000 },
    );
    after(async () => {
      await war?.close();
      await database?.close().catch(() => {});
    });

    test(
      'a change in every war reaches every member of the faction fighting it, while one faction’s sync is held up in the database',
      { timeout: 10 * 60_000 },
      async () => {
        const started = new Map<number, number>();
        const heads = new Map<number, number>();
        await inParallel(war.factions, 16, async (f) => {
          heads.set(f.id, (await war.api('/api/war', { token: f.tokens[0] })).body.seq);
        });
        const held = backend.name === 'postgres' ? war.factions[0] : undefined;
        let admin: pg.Client | undefined;
        if (held) {
          // Holds the rows the faction's sync must write: its transaction waits until we let go.
          admin = new pg.Client({ connectionString: database.url });
          await admin.connect();
          await admin.query('begin');
          await admin.query('select 1 from targets where faction_id = $1 for update', [held.id]);
        }
        const requestsBefore = await tornRequests(war);
        const t0 = performance.now();
        try {
          // In every war, one member of each side goes to hospital: the other side's target.
          const until = war.sim.now() + 1800;
          await inParallel(war.factions, 16, async (f) => {
            const target = enemyOf(war, f).memberIds[1];
            started.set(f.id, performance.now());
            const r = await fetch(`${war.sim.url}/__sim/players/${target}/status`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ state: 'Hospital', until }),
            });
            assert.equal(r.status, 200);
          });
          const others = war.factions.filter((f) => f !== held);
          await untilHospital(war, others, 120_000);
          if (held && admin) {
            // The held faction's sync is waiting on our lock, and nobody else's waited for it.
            const waiting = await admin.query(
              `select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`,
            );
            const stillOkay = await hospitalized(war, held);
            assert.equal(stillOkay, false, 'the held faction’s change cannot be written while its rows are locked');
            console.log(
              `every other faction synced while faction ${held.id}'s sync waited (${waiting.rows[0].n} backends waiting on the lock)`,
            );
          }
        } finally {
          await admin?.query('rollback');
          await admin?.end();
        }
        if (held) await untilHospital(war, [held], 120_000);
        const seconds = (performance.now() - t0) / 1000;
        const requestsAfter = await tornRequests(war);
        await waitStreamsAtHead(war);

        // Latency: from the change in Torn to each member's stream, over every member of every faction.
        const latencies: number[] = [];
        for (const f of war.factions) {
          for (const s of f.streams) {
            const seen = [...s.arrivals].filter(([id, a]) => id > heads.get(f.id)! && a.event === 'target_status').map(([, a]) => a.at);
            assert.ok(seen.length > 0, `faction ${f.id}: a member's stream never got the change`);
            latencies.push(Math.min(...seen) - started.get(f.id)!);
          }
        }
        latencies.sort((a, b) => a - b);
        const perFaction = war.factions
          .map((f) => requestsAfter.byFaction.get(f.id)! - requestsBefore.byFaction.get(f.id)!)
          .sort((a, b) => a - b);
        assert.ok(perFaction[0] > 0, 'every faction polled Torn');
        console.log(
          `status change → member: p50 ${(percentile(latencies, 50) / 1000).toFixed(1)} s, p99 ${(percentile(latencies, 99) / 1000).toFixed(1)} s ` +
            `(the enemy is read every 30 s); Torn requests in ${seconds.toFixed(0)} s: node ${requestsAfter.total - requestsBefore.total}, ` +
            `per faction ${perFaction[0]}–${perFaction.at(-1)}`,
        );
      },
    );

    test(
      'calls made in every faction at once reach all its members, once and in order, and no other faction',
      { timeout: 10 * 60_000 },
      async () => {
        const notifies = backend.name === 'postgres' ? await countNotifies(database.url) : undefined;
        const sent = new Map<number, { seq: number; at: number }[]>();
        const t0 = performance.now();
        try {
          for (let round = 0; round < 3; round++) {
            await inParallel(war.factions, 32, async (f) => {
              const at = performance.now();
              // A call, its release, and another member's call: three events per faction.
              const [op, member, target] = (
                [
                  ['call', 0, 2],
                  ['release', 0, 2],
                  ['call', 1, 3],
                ] as const
              )[round];
              const r = await war.api('/api/calls', {
                token: f.tokens[member],
                body: { ops: [{ op, targetId: enemyOf(war, f).memberIds[target] }] },
              });
              assert.equal(r.status, 200, JSON.stringify(r.body));
              assert.equal(r.body.results[0].ok, true, JSON.stringify(r.body.results[0]));
              sent.set(f.id, [...(sent.get(f.id) ?? []), { seq: r.body.seq, at }]);
            });
          }
          await waitStreamsAtHead(war);
        } finally {
          await notifies?.close();
        }
        const seconds = (performance.now() - t0) / 1000;
        const latencies: number[] = [];
        for (const f of war.factions) {
          for (const s of f.streams) {
            assert.deepEqual(s.faults, [], `faction ${f.id}: every event once, in order`);
            for (const { seq, at } of sent.get(f.id)!) {
              // The answer's seq is the operation's last event (a call may bring more than one).
              const seen = s.arrivals.get(seq)?.at;
              assert.ok(seen !== undefined, `faction ${f.id}: call ${seq} reached every member`);
              latencies.push(seen - at);
            }
          }
        }
        latencies.sort((a, b) => a - b);
        const memory = await serverMemory(war);
        const connections = war.factions.reduce((n, f) => n + f.streams.reduce((m, s) => m + s.connections, 0), 0);
        assert.equal(connections, FACTIONS * MEMBERS, 'no stream had to reconnect');
        assert.deepEqual(
          war.server.errors().map((l) => l.msg),
          [],
        );
        console.log(
          `${latencies.length} call deliveries: p50 ${percentile(latencies, 50).toFixed(0)} ms, p99 ${percentile(latencies, 99).toFixed(0)} ms, ` +
            `max ${latencies.at(-1)!.toFixed(0)} ms; ` +
            (notifies ? `${notifies.count()} NOTIFYs in ${seconds.toFixed(1)} s; ` : '') +
            `server RSS ${memory.rssMiB.toFixed(0)} MiB, heap ${memory.heapMiB.toFixed(0)} MiB`,
        );
      },
    );
  },
);

function enemyOf(war: ManyFactionsWar, f: FactionAtWar): FactionAtWar {
  return war.factions.find((e) => e.id === f.enemyId)!;
}

/** Whether the faction's snapshot shows its hospitalized target (the enemy's second member). */
async function hospitalized(war: ManyFactionsWar, f: FactionAtWar): Promise<boolean> {
  const r = await war.api('/api/war', { token: f.tokens[0] });
  const target = (r.body.targets as { id: number; status: { state: string } }[]).find((t) => t.id === enemyOf(war, f).memberIds[1]);
  return target?.status.state === 'Hospital';
}

async function untilHospital(war: ManyFactionsWar, factions: FactionAtWar[], ms: number): Promise<void> {
  const pending = new Set(factions);
  const deadline = Date.now() + ms;
  while (pending.size > 0) {
    await inParallel([...pending], 16, async (f) => {
      if (await hospitalized(war, f)) pending.delete(f);
    });
    if (pending.size === 0) return;
    assert.ok(Date.now() < deadline, `${pending.size} factions never saw their target's change, e.g. ${[...pending][0].id}`);
    await sleep(1000);
  }
}
