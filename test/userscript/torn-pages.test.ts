// Which of Torn's pages the userscript is on, and about whom: the attack page and a profile get the call bar.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { targetPage } from '../../src/client/userscript/torn-pages/target-bar.js';

const at = (url: string) => {
  const u = new URL(url);
  return targetPage({ pathname: u.pathname, search: u.search });
};

test('the attack page names its target by user2ID, at its current URL and at the old one', () => {
  assert.deepEqual(at('https://www.torn.com/page.php?sid=attack&user2ID=3005'), { kind: 'attack', targetId: 3005 });
  assert.deepEqual(at('https://www.torn.com/loader.php?sid=attack&user2ID=3005'), { kind: 'attack', targetId: 3005 });
  assert.equal(at('https://www.torn.com/page.php?sid=attackLog&ID=abc'), null);
  assert.equal(at('https://www.torn.com/page.php?sid=travel'), null);
  assert.equal(at('https://www.torn.com/loader.php?sid=racing'), null);
  assert.equal(at('https://www.torn.com/loader.php?sid=attack&user2ID=abc'), null);
});

test('a profile names its member by XID', () => {
  assert.deepEqual(at('https://www.torn.com/profiles.php?XID=2001#/'), { kind: 'profile', targetId: 2001 });
  assert.equal(at('https://www.torn.com/profiles.php'), null);
});

test('any other page is neither', () => {
  assert.equal(at('https://www.torn.com/factions.php?step=your#/war/rank'), null);
  assert.equal(at('https://www.torn.com/index.php'), null);
});
