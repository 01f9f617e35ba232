// MARK_POSITIONS decides who may mark targets, by the faction position Torn's member list gives,
// whatever the case; the setting is checked once at start like every other.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { backends } from '../helpers/databases.js';
import { startWarFixture, type WarFixture } from '../helpers/war-fixture.js';
import { ConfigError, loadConfig } from '../../src/config.js';

const base = { DATABASE_URL: 'memory://' };

test('MARK_POSITIONS defaults to Leader and Co-leader, takes a comma-separated list, and refuses an empty one', () => {
  assert.deepEqual(loadConfig(base).markPositions, ['Leader', 'Co-leader']);
  assert.deepEqual(loadConfig({ ...base, MARK_POSITIONS: ' Leader , War Captain,, ' }).markPositions, ['Leader', 'War Captain']);
  assert.throws(
    () => loadConfig({ ...base, MARK_POSITIONS: ' , ' }),
    (e: unknown) => e instanceof ConfigError && /MARK_POSITIONS/.test(e.message),
  );
  assert.throws(() => loadConfig({ ...base, MARK_POSITIONS: 'Lead\ter' }), /MARK_POSITIONS must be a comma-separated list/);
});

test('ASSIST_TTL_MS defaults to 3 minutes and must be an integer from 1000', () => {
  assert.equal(loadConfig(base).assistTtlMs, 180_000);
  assert.equal(loadConfig({ ...base, ASSIST_TTL_MS: '60000' }).assistTtlMs, 60_000);
  for (const bad of ['0', '999', 'soon', '-5'])
    assert.throws(() => loadConfig({ ...base, ASSIST_TTL_MS: bad }), /ASSIST_TTL_MS must be an integer/);
});

for (const backend of await backends()) {
  describe(`MARK_POSITIONS on ${backend.name}`, () => {
    let f: WarFixture;
    const t = new Map<number, string>();
    let sergeant: number;
    let other: number;

    before(async () => {
      f = await startWarFixture(backend, { env: { MARK_POSITIONS: 'sergeant' } });
      for (const id of [2001, 2003, 2004, 2005, 2006]) t.set(id, await f.signIn(id));
      await f.sync(1001);
      const rows = (
        await f.db.query<{ id: number; position: string }>('select id, position from players where id = any($1::int[]) order by id', [
          [...t.keys()],
        ])
      ).rows;
      sergeant = rows.find((r) => r.position === 'Sergeant')!.id;
      other = rows.find((r) => r.position !== 'Sergeant' && r.position !== 'Leader')!.id;
      assert.ok(sergeant && other, `positions ${JSON.stringify(rows)}`);
    });
    after(() => f.close());

    test('a Sergeant may mark when MARK_POSITIONS is "sergeant"; the Leader and the others may not', async () => {
      const mark = (id: number) =>
        f.api('/api/calls', { token: t.get(id)!, body: { ops: [{ op: 'mark', targetId: 3009, mark: 'priority' }] } });
      const yes = (await mark(sergeant)).body.results[0];
      assert.equal(yes.ok, true, JSON.stringify(yes));
      assert.equal(yes.mark.by.id, sergeant);
      for (const id of [2001, other]) {
        const no = (await mark(id)).body.results[0];
        assert.equal(no.error.code, 'not_allowed');
        assert.match(no.error.message, /^Only sergeant may mark targets; your faction position is /);
      }
    });
  });
}
