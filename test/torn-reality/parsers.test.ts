// TornCat's readers held against the reality corpus: every status description, page URL and plane
// type public Torn tools have recorded must read the way the corpus says.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readWhereabouts } from '../../src/war/travel.js';
import { targetLinks } from '../../src/war/links.js';
import { targetPage } from '../../src/client/userscript/torn-pages/target-bar.js';
import { USERSCRIPT_MATCHES } from '../../src/server/clients/userscript-source.js';
import { STATUSES } from './statuses.js';
import { PAGES } from './pages.js';
import { SOURCES } from './sources.js';

for (const s of STATUSES) {
  test(`status "${s.description}" (${s.state}, ${s.wording} wording, ${SOURCES[s.source].repo}) reads as ${s.place ? `${s.place.direction} ${s.place.country}` : 'Torn City'}`, () => {
    const w = readWhereabouts(s.state, s.description);
    assert.deepEqual(w && { country: w.country, direction: w.direction, inHospital: w.inHospital }, s.place);
  });
}

for (const p of PAGES.filter((e) => e.page !== 'war')) {
  test(`the ${p.form} ${p.page} page ${p.url} is known as that page, about ${p.targetId}`, () => {
    const u = new URL(p.url);
    assert.deepEqual(targetPage({ pathname: u.pathname, search: u.search }), { kind: p.page, targetId: p.targetId });
  });
}

/** A userscript manager's @match: `*` stands for any run of characters, everything else is literal. */
function matches(pattern: string, url: string): boolean {
  const re = new RegExp(
    `^${pattern
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
  return re.test(url);
}

for (const p of PAGES) {
  test(`the userscript's @match lines cover the ${p.form} ${p.page} page ${p.url}`, () => {
    assert.ok(
      USERSCRIPT_MATCHES.some((m) => matches(m, p.url)),
      `${p.url} is matched by none of ${USERSCRIPT_MATCHES.join(', ')}`,
    );
  });
}

test('the Attack links TornCat draws go to the attack page at its current URL', () => {
  const current = PAGES.filter((p) => p.page === 'attack' && p.form === 'current');
  assert.ok(current.length > 0);
  for (const p of current) {
    const link = targetLinks(p.targetId as number);
    const u = new URL(link.attack);
    const want = new URL(p.url);
    assert.equal(u.origin + u.pathname, want.origin + want.pathname, link.attack);
    assert.equal(u.searchParams.get('sid'), 'attack');
    assert.equal(u.searchParams.get('user2ID'), String(p.targetId));
  }
});

test('the corpus is not empty where it matters: both travel wordings, both attack URLs', () => {
  assert.ok(STATUSES.some((s) => s.wording === 'old' && s.place?.direction === 'returning'));
  assert.ok(STATUSES.some((s) => s.wording === 'current' && s.place?.direction === 'returning'));
  assert.deepEqual([...new Set(PAGES.filter((p) => p.page === 'attack').map((p) => new URL(p.url).pathname))].sort(), [
    '/loader.php',
    '/page.php',
  ]);
});
