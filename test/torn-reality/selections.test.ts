// An answer for every selection TornCat reads, from the reality corpus: each v2 answer is in the shape
// of Torn's OpenAPI document, TornCat's Torn client accepts every one over real HTTP, the members in
// them read as the corpus says (both travel wordings, the plane), and the simulator answers the same
// selection with the same fields.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTornClient, toMembers, type TornClient } from '../../src/torn/index.js';
import { readWhereabouts } from '../../src/war/travel.js';
import { assertValid, responseValidator } from '../helpers/torn-spec.js';
import { keyOf, openSimulator, type SimHandle } from '../simulator/helpers.js';
import { SELECTIONS } from './selections.js';
import { STATUSES } from './statuses.js';

let server: Server;
let client: TornClient;
let h: SimHandle;
const asked: string[] = [];

before(async () => {
  // Torn as the corpus recorded it: each selection's path answers with its recorded answer.
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://torn');
    for (const k of ['key', 'comment', 'timestamp']) url.searchParams.delete(k);
    const path = decodeURIComponent(url.pathname + url.search);
    asked.push(path);
    const hit = SELECTIONS.find((s) => s.path === path);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(hit ? hit.answer : { error: { code: 4, error: 'Wrong fields' } }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  client = createTornClient({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
  h = await openSimulator({ dynamic: false });
});
after(async () => {
  await new Promise((r) => server.close(r));
  await h.sim.close();
});

test('every recorded v2 answer is in the shape of Torn’s OpenAPI document', () => {
  const v2 = SELECTIONS.filter((s) => s.spec !== null);
  assert.ok(v2.length >= 6);
  for (const s of v2) assertValid(responseValidator(s.spec as string), s.answer, `${s.path} (corpus)`);
});

const KEY = 'corpus0000000001';
const CALLS: Record<string, (c: TornClient) => Promise<unknown>> = {
  keyInfo: (c) => c.keyInfo(KEY),
  userBasic: (c) => c.userBasic(KEY),
  factionMembers: (c) => c.factionMembers(KEY, 1002),
  factionWars: (c) => c.factionWars(KEY, 1002),
  factionRankedWars: (c) => c.factionRankedWars(KEY),
  factionMembersAndWars: (c) => c.factionMembersAndWars(KEY, 1002),
  factionChain: (c) => c.factionChain(KEY, 1001),
  factionMembersAndChain: (c) => c.factionMembersAndChain(KEY, 1001),
  tornTimestamp: (c) => c.tornTimestamp(KEY),
  userProfileV1: (c) => c.userProfileV1(KEY),
  factionBasicV1: (c) => c.factionBasicV1(KEY, 1002),
  factionRankedWarsV1: (c) => c.factionRankedWarsV1(KEY),
};

test('TornCat’s Torn client asks for every recorded selection at its path and accepts the answer', async () => {
  assert.deepEqual(Object.keys(CALLS).sort(), SELECTIONS.map((s) => s.reader).sort(), 'one recorded answer per reader');
  for (const s of SELECTIONS) {
    asked.length = 0;
    const got = await CALLS[s.reader](client);
    assert.deepEqual(asked, [s.path], `${s.reader} asks ${s.path}`);
    assert.deepEqual(got, s.answer, `${s.reader} passes Torn's answer through`);
  }
});

test('the members in the recorded answers read where the corpus puts them, and keep the plane of their flight', () => {
  for (const s of SELECTIONS.filter((x) => 'members' in x.answer)) {
    for (const m of toMembers(s.answer as never)) {
      const entry = STATUSES.find((e) => e.state === m.status.state && e.description === m.status.description);
      assert.ok(entry, `${s.path}: "${m.status.description}" is in the corpus`);
      const w = readWhereabouts(m.status.state, m.status.description);
      assert.deepEqual(w && { country: w.country, direction: w.direction, inHospital: w.inHospital }, entry.place, m.status.description);
      const raw = JSON.stringify(s.answer).includes(`"plane_image_type"`) && m.status.state === 'Traveling' && s.path.startsWith('/v2/');
      assert.equal(m.status.plane !== null, raw, `${m.name}: a v2 flight has its plane, nothing else has one`);
    }
  }
});

/** The fields of an answer, nested, arrays read through their first element. */
function fields(v: unknown, at = ''): string[] {
  if (Array.isArray(v)) return v.length ? fields(v[0], `${at}[]`) : [`${at}[]`];
  if (v === null || typeof v !== 'object') return [at];
  return Object.entries(v).flatMap(([k, x]) => [`${at}.${k}`, ...fields(x, `${at}.${k}`)]);
}

test('the simulator answers each v2 selection with the fields Torn’s recorded answer has', async () => {
  await h.control('POST', '/__sim/wars/5001/start');
  await h.control('POST', '/__sim/players/3001/status', { state: 'Traveling', destination: 'South Africa' });
  for (const s of SELECTIONS.filter((x) => x.path.startsWith('/v2/') && x.reader !== 'keyInfo')) {
    const sep = s.path.includes('?') ? '&' : '?';
    const sim = await h.torn(`${s.path}${sep}key=${keyOf(2001)}`);
    assert.equal(sim.error, undefined, `${s.path}: ${JSON.stringify(sim.error)}`);
    // Statuses are compared by what every status has, and a flight's plane by the flights.
    const want = new Set(fields(s.answer).filter((f) => !/\.status\.plane_image_type$/.test(f)));
    const got = new Set(fields(sim));
    for (const f of want) assert.ok(got.has(f), `${s.path}: the simulator's answer has no ${f}`);
    if (s.reader === 'factionMembers') {
      const flying = (sim.members as Array<{ status: Record<string, unknown> }>).filter((m) => m.status.state === 'Traveling');
      assert.ok(flying.length > 0 && flying.every((m) => typeof m.status.plane_image_type === 'string'), 'flights carry their plane');
    }
  }
});
