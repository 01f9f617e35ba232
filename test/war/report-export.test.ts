// The war report as CSV and JSON files over real HTTP: the member's token in the Authorization header
// (never the URL), a header row, RFC 4180 quoting, and names that a spreadsheet would run as formulas
// made inert with a leading '.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { pgliteBackend } from '../helpers/databases.js';
import { startWarFixture, type WarFixture } from '../helpers/war-fixture.js';
import { csvCell } from '../../src/war/report-csv.js';

const pglite = await pgliteBackend();

/** RFC 4180 reader: the test's own, so the server's writer is checked against the format, not itself. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += ch;
  }
  assert.equal(cell + row.join(''), '', 'the file ends with a line break');
  return rows;
}

describe('war report exports over HTTP', () => {
  let f: WarFixture;
  let token: string;
  const NAMES: Record<number, string> = {
    2003: '=HYPERLINK("http://evil.example","click")',
    2004: '+1-2',
    2005: '@SUM(A1:A2)',
    2006: '-5, "quoted"',
  };

  before(async () => {
    f = await startWarFixture(pglite);
    token = await f.signIn(2001);
    // The report lists the members TornCat knows: those who signed in.
    for (const id of [2002, 2003, 2004, 2005, 2006]) await f.signIn(id);
    await f.sync(1001);
    await f.simControl('/__sim/players/3001/status', { state: 'Okay' });
    await f.sync(1001);
    const call = await f.api('/api/calls', { token, body: { ops: [{ op: 'call', targetId: 3001 }] } });
    assert.equal(call.body.results[0].ok, true);
    // Torn names are letters, digits, - and _ today; the export must not trust that to stay so.
    for (const [id, name] of Object.entries(NAMES)) await f.db.query('update players set name = $2 where id = $1', [Number(id), name]);
  });
  after(() => f.close());

  test('the CSV has a header row, a row per member and the faction total, and formula cells made inert', async () => {
    for (const path of ['/api/wars/5001/report.csv', '/api/wars/5001/report?format=csv', '/wars/5001/report.csv']) {
      const res = await fetch(f.server.url + path, { headers: { authorization: `Bearer ${token}` } });
      assert.equal(res.status, 200, path);
      assert.match(res.headers.get('content-type') ?? '', /^text\/csv; charset=utf-8/);
      assert.equal(res.headers.get('content-disposition'), 'attachment; filename="torncat-war-5001-report.csv"');
      assert.equal(res.headers.get('cache-control'), 'no-store');
      const text = await res.text();
      const rows = parseCsv(text);
      assert.deepEqual(rows[0], [
        'war_id',
        'member_id',
        'member',
        'calls',
        'target_hospitalized',
        'expired',
        'released',
        'open',
        'median_exit_to_hospital_s',
        'torn_war_hits',
        'torn_hospitalized',
        'torn_respect',
        'torn_war_score',
        'torn_source',
      ]);
      assert.ok(
        rows.every((r) => r.length === rows[0].length),
        'every row has every column',
      );
      const byId = new Map(rows.slice(1).map((r) => [r[1], r]));
      assert.deepEqual(byId.get('2001')!.slice(3, 8), ['1', '0', '0', '0', '1'], "2001's open call");
      for (const [id, name] of Object.entries(NAMES))
        assert.equal(byId.get(id)![2], `'${name}`, `member ${id}'s name is text, not a formula`);
      assert.ok(!/^[=+\-@]/m.test(text), 'no line starts a formula');
      assert.match(text, /,"'-5, ""quoted""",/, 'a cell with a comma and quotes is quoted, its quotes doubled');
      const total = rows[rows.length - 1];
      assert.deepEqual([total[1], total[2], total[3]], ['', 'Faction total', '1']);
      assert.equal(total[13], 'none', 'no report from Torn read yet');
    }
  });

  test('the JSON file is the report, as a download', async () => {
    const plain = await f.api('/api/wars/5001/report', { token });
    for (const path of ['/api/wars/5001/report.json', '/api/wars/5001/report?format=json']) {
      const res = await fetch(f.server.url + path, { headers: { authorization: `Bearer ${token}` } });
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
      assert.equal(res.headers.get('content-disposition'), 'attachment; filename="torncat-war-5001-report.json"');
      const body = await res.json();
      assert.deepEqual({ ...body, generatedAt: 0 }, { ...plain.body, generatedAt: 0 });
      const m = body.members.find((x: any) => x.id === 2003);
      assert.equal(m.name, NAMES[2003], 'JSON keeps the name as it is: a JSON reader runs no formula');
    }
  });

  test('the token goes in the header: none, a wrong one or one in the URL is 401; a bad format is 400', async () => {
    for (const path of ['/api/wars/5001/report.csv', '/api/wars/5001/report.json', `/api/wars/5001/report.csv?token=${token}`]) {
      const r = await f.api(path);
      assert.equal(r.status, 401, path);
      assert.equal(r.body.error.code, 'unauthorized');
    }
    assert.equal((await f.api('/api/wars/5001/report.csv', { token: 'not-a-token' })).status, 401);
    const bad = await f.api('/api/wars/5001/report?format=xlsx', { token });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.code, 'invalid_request');
    assert.match(bad.body.error.message, /format must be one of json, csv/);
    const other = await f.api('/api/wars/4242/report.csv', { token });
    assert.equal(other.status, 404);
    assert.equal(other.body.error.code, 'not_found');
  });

  test('csvCell: formula starts get a quote, numbers stay numbers, RFC 4180 quoting', () => {
    assert.equal(csvCell('=1+1'), "'=1+1");
    assert.equal(csvCell('\tx'), "'\tx");
    assert.equal(csvCell('a,b'), '"a,b"');
    assert.equal(csvCell('say "hi"'), '"say ""hi"""');
    assert.equal(csvCell('two\nlines'), '"two\nlines"');
    assert.equal(csvCell(-3), '-3', 'a number is not a formula');
    assert.equal(csvCell(null), '');
    assert.equal(csvCell('Plain_Name'), 'Plain_Name');
  });
});
