// Members' commands beyond call and release: watch, unwatch, mark, unmark, assist, over POST
// /api/calls and both WebSocket forms, with their events, snapshot fields and refusals.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { backends } from '../helpers/databases.js';
import { startWarFixture, type WarFixture } from '../helpers/war-fixture.js';
import { WsClient } from '../helpers/stream-clients.js';
import { headSeq, readEvents } from '../../src/realtime/event-log.js';

for (const backend of await backends()) {
  describe(`member commands on ${backend.name}`, () => {
    let f: WarFixture;
    const t = new Map<number, string>();
    const token = (id: number) => t.get(id)!;
    const ops = (id: number, list: unknown[]) => f.api('/api/calls', { token: token(id), body: { ops: list } });
    const snapshot = async (id: number) => (await f.api('/api/war', { token: token(id) })).body;
    const logSince = async (seq: number): Promise<[string, any][]> =>
      (await readEvents(f.db, 1001, seq, 100)).map((e) => [e.event, e.data]);

    before(async () => {
      // The scenario's 2001 is the faction's Leader, 2002 its Co-leader, 2003 and 2004 neither.
      f = await startWarFixture(backend, { env: { ASSIST_TTL_MS: '60000' } });
      for (const id of [2001, 2002, 2003, 2004]) t.set(id, await f.signIn(id));
      await f.sync(1001);
      // A profile that gives no position (Torn's v1 sends ''): TornCat does not know 2005's yet.
      t.set(2005, await f.signIn(2005));
      await f.db.query('update players set position = null where id = 2005');
    });
    after(() => f.close());

    test("a leader's mark is stored, logged as target_mark, and in every member's snapshot", async () => {
      const seq = await headSeq(f.db, 1001);
      const r = await ops(2001, [
        { op: 'mark', targetId: 3001, mark: 'priority' },
        { op: 'mark', targetId: 3002, mark: 'note', note: '  has a big bounty on him  ' },
      ]);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      const [a, b] = r.body.results;
      assert.equal(a.ok, true);
      assert.equal(a.call, null);
      assert.deepEqual(
        { ...a.mark, at: 0 },
        { targetId: 3001, mark: 'priority', note: null, by: { id: 2001, name: a.mark.by.name }, at: 0 },
      );
      assert.deepEqual([b.mark.mark, b.mark.note], ['note', 'has a big bounty on him'], 'the note is trimmed');
      assert.equal(r.body.seq, seq + 2);
      const logged = await logSince(seq);
      assert.deepEqual(
        logged.map(([e, d]: any) => [e, d.warId, d.targetId, d.mark?.mark, d.by.id]),
        [
          ['target_mark', 5001, 3001, 'priority', 2001],
          ['target_mark', 5001, 3002, 'note', 2001],
        ],
      );
      const snap = await snapshot(2004);
      assert.deepEqual(snap.marks, [a.mark, b.mark]);
    });

    test('setting the same mark again logs nothing; a co-leader may change it; unmark clears it with mark null', async () => {
      const seq = await headSeq(f.db, 1001);
      const same = await ops(2001, [{ op: 'mark', targetId: 3001, mark: 'priority' }]);
      assert.equal(same.body.results[0].ok, true);
      assert.equal(same.body.seq, seq, 'nothing changed, nothing logged');
      const changed = await ops(2002, [{ op: 'mark', targetId: 3001, mark: 'avoid', note: 'revives' }]);
      assert.deepEqual([changed.body.results[0].mark.mark, changed.body.results[0].mark.by.id], ['avoid', 2002]);
      const cleared = await ops(2002, [
        { op: 'unmark', targetId: 3001 },
        { op: 'unmark', targetId: 3001 },
      ]);
      assert.deepEqual(cleared.body.results, [
        { ok: true, call: null, mark: null },
        { ok: true, call: null, mark: null },
      ]);
      assert.equal(cleared.body.seq, seq + 2, 'one change, one clear: clearing no mark logs nothing');
      const logged = await logSince(seq);
      assert.deepEqual(logged.at(-1), [
        'target_mark',
        { warId: 5001, targetId: 3001, mark: null, by: { id: 2002, name: logged.at(-1)![1].by.name } },
      ]);
      assert.deepEqual(
        (await snapshot(2001)).marks.map((m: any) => m.targetId),
        [3002],
      );
    });

    test('a member whose position is not a marking one gets not_allowed naming it, and nothing is written', async () => {
      const seq = await headSeq(f.db, 1001);
      const r = await ops(2003, [
        { op: 'mark', targetId: 3003, mark: 'priority' },
        { op: 'unmark', targetId: 3002 },
      ]);
      assert.equal(r.status, 200);
      for (const x of r.body.results) {
        assert.equal(x.ok, false);
        assert.equal(x.error.code, 'not_allowed');
        assert.match(x.error.message, /Leader, Co-leader/);
        assert.match(x.error.message, /your faction position is \w+/);
      }
      assert.equal(await headSeq(f.db, 1001), seq);
      assert.deepEqual(
        (await snapshot(2003)).marks.map((m: any) => m.targetId),
        [3002],
      );
    });

    test('a leader can mark right after signing in: sign-in stores the position from the profile', async () => {
      await f.db.query('update players set position = null where id = 2002');
      assert.equal((await snapshot(2002)).me.canMark, false);
      t.set(2002, await f.signIn(2002));
      assert.equal((await snapshot(2002)).me.canMark, true, 'no member-list read in between');
    });

    test("the snapshot's me.canMark is true for the marking positions only (and not before the position is read)", async () => {
      assert.deepEqual(
        await Promise.all([2001, 2002, 2003, 2005].map(async (id) => (await snapshot(id)).me.canMark)),
        [true, true, false, false],
      );
    });

    test('a member whose position TornCat has not read yet is refused with a message that says so', async () => {
      const r = await ops(2005, [{ op: 'mark', targetId: 3003, mark: 'avoid' }]);
      assert.equal(r.body.results[0].error.code, 'not_allowed');
      assert.match(r.body.results[0].error.message, /not read your faction position/);
    });

    test('watch and unwatch log a watch event only when they change something; the snapshot lists only my watches', async () => {
      const seq = await headSeq(f.db, 1001);
      const r = await ops(2003, [
        { op: 'watch', targetId: 3010 },
        { op: 'watch', targetId: 3010 },
        { op: 'watch', targetId: 3004 },
      ]);
      assert.deepEqual(r.body.results, [
        { ok: true, call: null },
        { ok: true, call: null },
        { ok: true, call: null },
      ]);
      assert.equal(r.body.seq, seq + 2, 'watching twice logs nothing the second time');
      assert.deepEqual(await logSince(seq), [
        ['watch', { warId: 5001, memberId: 2003, targetId: 3010, watching: true }],
        ['watch', { warId: 5001, memberId: 2003, targetId: 3004, watching: true }],
      ]);
      assert.deepEqual((await snapshot(2003)).watches, [3004, 3010]);
      assert.deepEqual((await snapshot(2004)).watches, [], "another member's watches are theirs");
      const un = await ops(2003, [
        { op: 'unwatch', targetId: 3010 },
        { op: 'unwatch', targetId: 3010 },
      ]);
      assert.equal(un.body.seq, seq + 3);
      assert.deepEqual((await logSince(seq + 2))[0], ['watch', { warId: 5001, memberId: 2003, targetId: 3010, watching: false }]);
      assert.deepEqual((await snapshot(2003)).watches, [3004]);
    });

    test('assist raises a request everyone sees, with its expiry; asking again renews it', async () => {
      const seq = await headSeq(f.db, 1001);
      const r = await ops(2004, [{ op: 'assist', targetId: 3011 }]);
      const a = r.body.results[0];
      assert.equal(a.ok, true);
      assert.equal(a.call, null);
      assert.equal(a.assist.targetId, 3011);
      assert.equal(typeof a.assist.targetName, 'string');
      assert.equal(a.assist.requester.id, 2004);
      assert.equal(a.assist.expiresAt - a.assist.at, 60, 'ASSIST_TTL_MS');
      const logged = await logSince(seq);
      assert.deepEqual(logged, [['assist', { warId: 5001, ...a.assist }]]);
      assert.deepEqual((await snapshot(2001)).assists, [a.assist]);
      const again = await ops(2004, [{ op: 'assist', targetId: 3011 }]);
      assert.ok(again.body.results[0].assist.expiresAt >= a.assist.expiresAt);
      assert.equal(again.body.seq, seq + 2, 'a renewal is an event too: members see the new expiry');
      const other = await ops(2003, [{ op: 'assist', targetId: 3011 }]);
      assert.equal(other.body.results[0].ok, true);
      const open = (await snapshot(2001)).assists;
      assert.deepEqual(
        open.map((x: any) => [x.targetId, x.requester.id]),
        [
          [3011, 2004],
          [3011, 2003],
        ],
        'one request per member and target, oldest first',
      );
    });

    test('every op refuses a player who is not a target, and a malformed op is a 400 that names the field', async () => {
      const r = await ops(
        2001,
        ['watch', 'unwatch', 'unmark', 'assist']
          .map((op) => ({ op, targetId: 2010 }))
          .concat([{ op: 'mark', targetId: 999_999, mark: 'priority' } as any]),
      );
      assert.deepEqual(
        r.body.results.map((x: any) => x.error?.code),
        ['not_a_target', 'not_a_target', 'not_a_target', 'not_a_target', 'not_a_target'],
      );
      const seq = await headSeq(f.db, 1001);
      const cases: [unknown, RegExp][] = [
        [{ op: 'mark', targetId: 3001 }, /ops\[1\]\.mark: mark must be "priority", "avoid" or "note"/],
        [{ op: 'mark', targetId: 3001, mark: 'kill' }, /ops\[1\]\.mark: /],
        [{ op: 'mark', targetId: 3001, mark: 'note' }, /ops\[1\]\.note: note is required with mark "note"/],
        [{ op: 'mark', targetId: 3001, mark: 'note', note: '   ' }, /ops\[1\]\.note: note is required/],
        [{ op: 'mark', targetId: 3001, mark: 'note', note: 'x'.repeat(141) }, /ops\[1\]\.note: note must be at most 140 characters/],
        [{ op: 'mark', targetId: 3001, mark: 'avoid', note: 'two\nlines' }, /ops\[1\]\.note: note must be one line/],
        [{ op: 'mark', targetId: 3001, mark: 'avoid', note: 7 }, /ops\[1\]\.note: note must be a string/],
        [{ op: 'watch' }, /ops\[1\]\.targetId: targetId must be a Torn player id/],
        [{ op: 'assist', targetId: 2 ** 31 }, /ops\[1\]\.targetId: targetId is too large/],
        [
          { op: 'shout', targetId: 3001 },
          /ops\[1\]\.op: op must be one of "call", "release", "watch", "unwatch", "mark", "unmark", "assist"/,
        ],
        [null, /ops\[1\]: an operation is an object/],
      ];
      for (const [bad, message] of cases) {
        const res = await ops(2001, [{ op: 'watch', targetId: 3020 }, bad]);
        assert.equal(res.status, 400, JSON.stringify(bad));
        assert.equal(res.body.error.code, 'invalid_request');
        assert.match(res.body.error.message, message);
      }
      assert.equal(await headSeq(f.db, 1001), seq, 'a refused batch runs none of its ops');
      // 140 characters counted as characters: emoji are one each, not two UTF-16 units.
      const long = await ops(2001, [{ op: 'mark', targetId: 3005, mark: 'note', note: '🔥'.repeat(140) }]);
      assert.equal(long.body.results[0].mark.note, '🔥'.repeat(140));
    });

    test('over the WebSocket every op works as {type: op} and as {op} alone, with the same results as HTTP', async () => {
      const seq = await headSeq(f.db, 1001);
      const leader = await WsClient.connect(f.server.url, { token: token(2002), lastEventId: seq });
      const member = await WsClient.connect(f.server.url, { token: token(2004), lastEventId: seq });
      const marked = await leader.command({ type: 'mark', targetId: 3006, mark: 'note', note: 'medding', ref: 'm' });
      assert.deepEqual([marked.type, marked.ref, marked.ok, marked.call, marked.mark.note], ['result', 'm', true, null, 'medding']);
      assert.equal(marked.seq, seq + 1);
      const opForm = await leader.command({ op: 'mark', targetId: 3007, mark: 'avoid' });
      assert.deepEqual([opForm.ok, opForm.mark.targetId, opForm.mark.mark], [true, 3007, 'avoid']);
      const unmarked = await leader.command({ op: 'unmark', targetId: 3007 });
      assert.deepEqual([unmarked.ok, unmarked.mark], [true, null]);
      const refused = await member.command({ type: 'mark', targetId: 3008, mark: 'priority', ref: 7 });
      assert.deepEqual([refused.ok, refused.error.code, refused.ref], [false, 'not_allowed', 7]);
      const refusedOp = await member.command({ op: 'unmark', targetId: 3006 });
      assert.equal(refusedOp.error.code, 'not_allowed');
      const watched = await member.command({ op: 'watch', targetId: 3012 });
      assert.deepEqual([watched.ok, watched.call], [true, null]);
      const unwatched = await member.command({ type: 'unwatch', targetId: 3012 });
      assert.equal(unwatched.ok, true);
      const assisted = await member.command({ op: 'assist', targetId: 3013 });
      assert.equal(assisted.assist.requester.id, 2004);
      const called = await member.command({ op: 'call', targetId: 3014 });
      assert.deepEqual([called.call.state, called.call.waitingForExit], ['called', called.call.waitingForExit]);
      const released = await member.command({ op: 'release', targetId: 3014 });
      assert.equal(released.call.state, 'released');
      const badNote = await leader.command({ op: 'mark', targetId: 3006, mark: 'note', ref: 'n' });
      assert.deepEqual([badNote.ok, badNote.error.code], [false, 'invalid_request']);
      assert.match(badNote.error.message, /^mark\.note: note is required/);
      const badOp = await member.command({ op: 'shout', targetId: 3006 });
      assert.equal(badOp.error.code, 'invalid_request');
      assert.match(badOp.error.message, /one of call, release, watch, unwatch, mark, unmark, assist/);
      // 3 marks, 2 watches, 1 assist, 1 call, 1 release
      const n = 8;
      for (const c of [leader, member]) {
        await c.untilCount(n);
        assert.deepEqual(
          c.events.map((e) => e.event),
          ['target_mark', 'target_mark', 'target_mark', 'watch', 'watch', 'assist', 'target_call', 'target_call'],
        );
      }
      assert.equal(await headSeq(f.db, 1001), seq + n);
      leader.close();
      member.close();
    });

    // Ends the war: runs last.
    test('once the war has ended, every op answers no_active_war', async () => {
      await f.simControl('/__sim/wars/5001/end', {});
      await f.sync(1001);
      const seq = await headSeq(f.db, 1001);
      const r = await ops(2001, [
        { op: 'watch', targetId: 3001 },
        { op: 'unwatch', targetId: 3001 },
        { op: 'mark', targetId: 3001, mark: 'priority' },
        { op: 'unmark', targetId: 3001 },
        { op: 'assist', targetId: 3001 },
      ]);
      assert.deepEqual(
        r.body.results.map((x: any) => x.error?.code),
        Array(5).fill('no_active_war'),
      );
      assert.equal(await headSeq(f.db, 1001), seq);
      const snap = await snapshot(2003);
      assert.equal(snap.war.active, false);
      assert.deepEqual(snap.watches, [3004], "the last war's state stays readable");
    });
  });
}
