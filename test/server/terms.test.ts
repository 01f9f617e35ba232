// Torn's terms table is one text (src/protocol/terms.ts) shown wherever a key is entered: docs/members.md's
// copy, the board page and the served userscripts are checked against it here; the browser tests
// check what members see (test/dashboard/, test/userscript/).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { pgliteBackend } from '../helpers/databases.js';
import { startWarFixture, type WarFixture } from '../helpers/war-fixture.js';
import { CREATE_KEY_URL, TERMS } from '../../src/protocol/terms.js';

const pglite = await pgliteBackend();

const TORN_COLUMNS = ['Data Storage', 'Data Sharing', 'Purpose of Use', 'Key Storage & Sharing', 'Key Access Level'];

/**
 * The answers Torn's API documentation allows in each column (its section on a tool's terms, torn.com/api.html,
 * as quoted word for word by public Torn tools' terms pages and scripts; seen 2026-12-07). "[Please specify]"
 * means the option is followed by what it is.
 */
const TORN_OPTIONS: Record<string, string[]> = {
  'Data Storage': [
    'No / Only locally',
    'Temporary - less than a minute',
    'Temporary - less than a day',
    'Persistent - until account deletion',
    'Persistent - forever',
  ],
  'Data Sharing': ['Nobody', 'Faction', 'Friends & faction', 'General public', 'Service owners', 'Service owners & their customers'],
  'Purpose of Use': [
    'Non malicious statistical analysis',
    'Public amusement',
    'Public community tools',
    'Competitive advantage [Please specify]',
    'Personal gain [Please specify]',
    'Other [Please specify]',
  ],
  'Key Storage & Sharing': [
    'Not stored / Not shared',
    'Stored / Used only for automation',
    'Stored / Shared with the faction',
    'Stored / Shared with other services',
  ],
  'Key Access Level': ['Public', 'Minimal', 'Limited', 'Full', 'Custom - specify selections'],
};

test("the terms have Torn's five columns, in Torn's order, and ask for a Public key", () => {
  assert.deepEqual(
    TERMS.map((t) => t.title),
    TORN_COLUMNS,
  );
  assert.deepEqual(TERMS[4].options, ['Public']);
  for (const t of TERMS) assert.ok(t.question.endsWith('?') && t.answer && t.detail, t.title);
});

test("each answer starts with options from Torn's list for its column, in Torn's words", () => {
  for (const t of TERMS) {
    const allowed = TORN_OPTIONS[t.title];
    assert.ok(t.options.length > 0, `${t.title}: at least one of Torn's options`);
    for (const o of t.options) {
      const torn = allowed.find((a) => a === o || a.replace(/ \[Please specify\]$/, '') === o);
      assert.ok(torn, `${t.title}: "${o}" is one of Torn's options (${allowed.join('; ')})`);
      if (torn.endsWith('[Please specify]')) assert.match(t.answer, new RegExp(`^${o}: \\S`), `${t.title}: "${o}" says what`);
    }
    assert.ok(t.answer.startsWith(t.options[0]), `${t.title}: "${t.answer}" starts with Torn's option`);
    let at = 0;
    for (const o of t.options) {
      const i = t.answer.indexOf(o, at);
      assert.ok(i >= at, `${t.title}: "${o}" in the answer, in order`);
      at = i + o.length;
    }
  }
});

test("the members' guide's terms table is the terms text, word for word", () => {
  const readme = readFileSync(new URL('../../docs/members.md', import.meta.url), 'utf8');
  const start = readme.indexOf('<!-- terms -->\n');
  const end = readme.indexOf('\n<!-- /terms -->');
  assert.ok(start >= 0 && end > start, 'docs/members.md marks its terms table with <!-- terms --> … <!-- /terms -->');
  const row = (cells: string[]) => `| ${cells.join(' | ')} |`;
  const expected = [
    row(TERMS.map((t) => t.title)),
    `|${TERMS.map(() => '---').join('|')}|`,
    row(TERMS.map((t) => `*${t.question}*`)),
    row(TERMS.map((t) => `**${t.answer}**<br>${t.detail}`)),
  ].join('\n');
  assert.equal(readme.slice(start + '<!-- terms -->\n'.length, end), expected);
});

describe('surfaces that take a key', () => {
  let f: WarFixture;
  before(async () => {
    f = await startWarFixture(pglite);
  });
  after(() => f.close());

  const decode = (html: string) =>
    html.replace(/&(amp|lt|gt|quot);/g, (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"' })[e] as string);

  test('the board page holds the terms table in its sign-in section, and the link to create a Public key', async () => {
    const html = await (await fetch(f.server.url + '/')).text();
    const signin = html.slice(html.indexOf('<section id="signin"'), html.indexOf('</section>', html.indexOf('<section id="signin"')));
    const table = signin.slice(signin.indexOf('<table class="terms">'), signin.indexOf('</table>'));
    assert.ok(table, 'a terms table in the sign-in section');
    assert.deepEqual(
      [...table.matchAll(/<th scope="col">([^<]+)<small>/g)].map((m) => decode(m[1])),
      TORN_COLUMNS,
    );
    const cells = [...table.matchAll(/<td data-label="[^"]+"><b>([^<]+)<\/b>([^<]+)<\/td>/g)].map((m) => [decode(m[1]), decode(m[2])]);
    assert.deepEqual(
      cells,
      TERMS.map((t) => [t.answer, t.detail]),
    );
    assert.ok(signin.includes(`href="${CREATE_KEY_URL.replace(/&/g, '&amp;')}"`), 'links to Torn’s new-key form');
    assert.match(signin, /Public access is enough/);
  });

  test('both served userscripts carry the terms', async () => {
    for (const file of ['/torn-war-caller-sse.user.js', '/torn-war-caller.user.js']) {
      const js = await (await fetch(f.server.url + file)).text();
      for (const t of TERMS) assert.ok(js.includes(t.title) && js.includes(t.answer), `${file}: ${t.title}`);
      assert.ok(js.includes(CREATE_KEY_URL), `${file}: the create-key link`);
      assert.doesNotMatch(js, /Your key goes to this server only/, `${file}: the old, untrue sentence is gone`);
    }
  });
});
