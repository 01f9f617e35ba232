// Sign-in checks what a key may read (v2 key/info) and refuses one below Public, saying which key to
// create and linking to Torn's key page filled in for TornCat.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { pgliteBackend } from '../helpers/databases.js';
import { demoKey, startWarFixture, type WarFixture } from '../helpers/war-fixture.js';
import { CREATE_KEY_URL } from '../../src/protocol/terms.js';

const pglite = await pgliteBackend();

describe('the access level of a key, at sign-in', () => {
  let f: WarFixture;
  before(async () => {
    f = await startWarFixture(pglite);
  });
  after(() => f.close());

  const issue = (playerId: number, access: unknown) => f.simControl(`/__sim/keys/${demoKey(playerId)}/access`, access);
  const signIn = (playerId: number) => f.api('/api/auth', { body: { apiKey: demoKey(playerId) } });
  const stored = async (playerId: number) =>
    (await f.db.query<{ n: number }>('select count(*)::int as n from api_keys where player_id = $1', [playerId])).rows[0].n;

  function assertRefused(r: { status: number; body: any }, why: RegExp): void {
    assert.equal(r.status, 403, JSON.stringify(r.body));
    assert.equal(r.body.error.code, 'key_access_too_low');
    assert.match(r.body.error.message, why);
    assert.match(r.body.error.message, /needs a Public key/);
    assert.ok(r.body.error.message.endsWith(CREATE_KEY_URL), r.body.error.message);
  }

  test('the link opens Torn’s new-key form for a Public Only key named TornCat', () => {
    const url = new URL(CREATE_KEY_URL);
    assert.equal(url.origin + url.pathname, 'https://www.torn.com/preferences.php');
    assert.equal(url.hash, '#tab=api?step=addNewKey&title=TornCat&type=1');
  });

  test('a Public Only key is enough', async () => {
    await issue(2001, { level: 1, type: 'Public Only' });
    const r = await signIn(2001);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(await stored(2001), 1);
  });

  test('so is any key above it', async () => {
    for (const [playerId, level, type] of [
      [2002, 2, 'Minimal Access'],
      [2003, 4, 'Full Access'],
    ] as const) {
      await issue(playerId, { level, type });
      assert.equal((await signIn(playerId)).status, 200, type);
    }
  });

  test('a custom key that may read user profile and faction members and wars is accepted', async () => {
    await issue(2004, { level: 0, type: 'Custom', selections: { user: ['profile'], faction: ['members', 'wars'] } });
    const r = await signIn(2004);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    await f.sync(1001);
    assert.equal((await f.api('/api/war', { token: r.body.token })).body.me.keyStatus, 'active', 'and polls with it');
  });

  test('a custom key that cannot read faction wars is refused, and nothing of it is stored', async () => {
    await issue(2005, { level: 0, type: 'Custom', selections: { user: ['profile'], faction: ['members'] } });
    assertRefused(await signIn(2005), /^This custom key cannot read faction wars\./);
    assert.equal(await stored(2005), 0);
  });

  test('a custom key that cannot read the profile fails at Torn (error 16) and is refused the same way', async () => {
    await issue(2006, { level: 0, type: 'Custom', selections: { faction: ['members', 'wars'] } });
    assertRefused(await signIn(2006), /^Torn says the access level of this key is not high enough\./);
    assert.equal(await stored(2006), 0);
  });

  test('a refused key is not held back: once its owner made a Public one, signing in works at once', async () => {
    await issue(2007, { level: 0, type: 'Custom', selections: { user: ['profile'] } });
    assertRefused(await signIn(2007), /cannot read faction members and wars/);
    await issue(2007, { level: 1, type: 'Public Only' });
    assert.equal((await signIn(2007)).status, 200);
  });

  test('the simulator refuses a malformed access', async () => {
    for (const body of [
      { level: 1, type: 'Public' },
      { level: 9, type: 'Full Access' },
      { level: 0, type: 'Custom' },
      { level: 1, type: 'Public Only', selections: { user: ['basic'] } },
      { level: 0, type: 'Custom', selections: { nothing: ['basic'] } },
    ]) {
      const res = await fetch(`${f.sim.url}/__sim/keys/${demoKey(2008)}/access`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      assert.equal(res.status, 400, JSON.stringify(body));
    }
    assert.deepEqual(await issue(2008, null), { key: demoKey(2008), level: 3, type: 'Limited Access', selections: null });
  });
});
