// Properties of members' commands over every transport: a mark by a member without a marking
// position is refused and writes nothing, whatever the mark, target or transport; and any mix of
// all seven ops, from several members at once, never fails as a whole and never leaves two open
// calls on one target.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { backends } from '../helpers/databases.js';
import { startWarFixture, type WarFixture } from '../helpers/war-fixture.js';
import { WsClient } from '../helpers/stream-clients.js';
import { headSeq } from '../../src/realtime/event-log.js';
import { CALL_ERROR_CODES } from '../../src/errors.js';
import { CALL_OP_NAMES } from '../../src/protocol/call.js';

/** 2001 is the scenario's Leader, 2002 its Co-leader; 2003 and 2004 hold other positions; 2005's is not read yet. */
const MEMBERS = [2001, 2002, 2003, 2004];
const NOT_LEADERS = [2003, 2004, 2005];
/** A few targets (some in hospital, so calls on them wait for the exit), an own member and a stranger. */
const TARGETS = [3001, 3002, 3003, 3004, 3005];
const NOT_TARGETS = [2010, 999_999];
const TRANSPORTS = ['http', 'ws-type', 'ws-op'] as const;
type Transport = (typeof TRANSPORTS)[number];

const noteArb = fc
  .string({ minLength: 1, maxLength: 140, unit: 'grapheme' })
  .filter((s) => s.trim() !== '' && !/\p{Cc}/u.test(s) && [...s.trim()].length <= 140);
const markArb = fc.oneof(
  fc.record({
    op: fc.constant('mark' as const),
    mark: fc.constantFrom('priority' as const, 'avoid' as const),
    note: fc.option(noteArb, { nil: undefined }),
  }),
  fc.record({ op: fc.constant('mark' as const), mark: fc.constant('note' as const), note: noteArb }),
  fc.record({ op: fc.constant('unmark' as const) }),
);
const anyTargetArb = fc.constantFrom(...TARGETS, ...NOT_TARGETS);

for (const backend of await backends()) {
  describe(`member command properties on ${backend.name}`, () => {
    let f: WarFixture;
    const t = new Map<number, string>();
    const sockets = new Map<number, WsClient>();

    /** Sends one op as `who` over `transport` and returns its result (the WebSocket's without type/ref/seq). */
    async function send(who: number, transport: Transport, op: Record<string, unknown>): Promise<any> {
      if (transport === 'http') {
        const r = await f.api('/api/calls', { token: t.get(who)!, body: { ops: [op] } });
        assert.equal(r.status, 200, JSON.stringify(r.body));
        return r.body.results[0];
      }
      const { op: name, ...rest } = op;
      const msg = transport === 'ws-type' ? { type: name, ...rest } : op;
      const { type, ref: _ref, seq, ...result } = await sockets.get(who)!.command(msg);
      assert.equal(type, 'result');
      assert.equal(typeof seq, 'number');
      return result;
    }

    before(async () => {
      f = await startWarFixture(backend);
      for (const id of MEMBERS) t.set(id, await f.signIn(id));
      const now = (await f.simControl('/__sim/clock', { advance: 0 })).now;
      await f.simControl('/__sim/players/3002/status', { state: 'Hospital', until: now + 7200 });
      await f.simControl('/__sim/players/3004/status', { state: 'Hospital', until: now + 7200 });
      for (const id of [3001, 3003, 3005]) await f.simControl(`/__sim/players/${id}/status`, { state: 'Okay' });
      await f.sync(1001);
      t.set(2005, await f.signIn(2005));
      for (const [id, token] of t) sockets.set(id, await WsClient.connect(f.server.url, { token }));
      // Marks for the refusals to leave alone.
      const r = await f.api('/api/calls', { token: t.get(2001)!, body: { ops: [{ op: 'mark', targetId: 3001, mark: 'priority' }] } });
      assert.equal(r.body.results[0].ok, true);
    });
    after(async () => {
      for (const s of sockets.values()) s.close();
      await f.close();
    });

    test('a mark or unmark by a member without a marking position is refused with not_allowed on every transport, and writes nothing', async () => {
      const marksBefore = (await f.api('/api/war', { token: t.get(2001)! })).body.marks;
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...NOT_LEADERS),
          fc.constantFrom(...TRANSPORTS),
          markArb,
          anyTargetArb,
          async (who, transport, mark, targetId) => {
            const seq = await headSeq(f.db, 1001);
            const result = await send(who, transport, { ...mark, targetId });
            assert.equal(result.ok, false);
            assert.equal(result.error.code, 'not_allowed');
            assert.match(result.error.message, /Leader, Co-leader/);
            assert.equal(await headSeq(f.db, 1001), seq, 'no event');
          },
        ),
        { numRuns: 40 },
      );
      const marksAfter = (await f.api('/api/war', { token: t.get(2001)! })).body.marks;
      assert.deepEqual(marksAfter, marksBefore);
      const rows = await f.db.query('select count(*)::int as n from target_marks');
      assert.equal(rows.rows[0].n, 1);
    });

    test('random mixes of all ops, several members at once, over every transport: never a failure, at most one open call per target', async () => {
      const opArb = fc.record({
        who: fc.constantFrom(...MEMBERS, 2005),
        transport: fc.constantFrom(...TRANSPORTS),
        op: fc.constantFrom(...CALL_OP_NAMES),
        targetId: fc.oneof(
          { weight: 9, arbitrary: fc.constantFrom(...TARGETS) },
          { weight: 1, arbitrary: fc.constantFrom(...NOT_TARGETS) },
        ),
        mark: fc.constantFrom('priority', 'avoid', 'note'),
        note: noteArb,
      });
      // Each step is a few commands sent at the same time.
      const scenarioArb = fc.array(fc.array(opArb, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 8 });
      await fc.assert(
        fc.asyncProperty(scenarioArb, async (steps) => {
          for (const step of steps) {
            const results = await Promise.all(
              step.map(({ who, transport, op, targetId, mark, note }) =>
                send(who, transport, op === 'mark' ? { op, targetId, mark, note } : { op, targetId }),
              ),
            );
            for (const r of results) {
              if (r.ok) continue;
              assert.ok((CALL_ERROR_CODES as readonly string[]).includes(r.error.code), JSON.stringify(r));
            }
          }
          const open = await f.db.query<{ target_id: number; n: number }>(
            `select target_id, count(*)::int as n from calls where state = 'called' group by target_id having count(*) > 1`,
          );
          assert.deepEqual(open.rows, [], 'two open calls on one target');
          const perCaller = await f.db.query<{ n: number }>(
            `select count(*)::int as n from calls where state = 'called' group by caller_id`,
          );
          for (const row of perCaller.rows) assert.ok(row.n <= 3, 'MAX_ACTIVE_CALLS_PER_MEMBER');
          const snap = (await f.api('/api/war', { token: t.get(2003)! })).body;
          const ids = snap.calls.map((c: any) => c.targetId);
          assert.equal(new Set(ids).size, ids.length);
          for (const c of snap.calls) assert.equal(c.waitingForExit, c.targetId === 3002 || c.targetId === 3004, `call on ${c.targetId}`);
        }),
        { numRuns: 25 },
      );
    });
  });
}
