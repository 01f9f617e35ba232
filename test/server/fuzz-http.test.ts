// Fuzz of every JSON endpoint over fetch: random bodies, headers and query strings always get a valid
// answer or a 4xx `{"error":{"code","message"}}`, never a 5xx or a crash; and an invalid operation
// never writes (checked against the calls table and the event log, row by row).
// Seeded: FUZZ_SEED and FUZZ_RUNS override the defaults to explore further.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { pgliteBackend } from '../helpers/databases.js';
import { FUZZ_LIMITS, FUZZ_RUNS, FUZZ_SEED } from '../helpers/fuzz-settings.js';
import { demoKey, startWarFixture, type WarFixture } from '../helpers/war-fixture.js';
import { ERROR_CODES } from '../../src/errors.js';
import { createSession } from '../../src/auth/sessions.js';

const ME = 2001;
const OTHER = 2002;
const FACTION = 1001;
const TARGETS = new Set(Array.from({ length: 25 }, (_, i) => 3001 + i));
/** Held by OTHER for the whole run, so `already_called` and `not_your_call` come up. */
const OTHERS_TARGETS = [3024, 3025];

const pglite = await pgliteBackend();

// ---------------------------------------------------------------------------------------------------
// Arbitraries

/** Printable ASCII (what fetch lets through as a header value), with the odd tab. */
const headerText = (maxLength = 40) =>
  fc.string({
    unit: fc.oneof(
      fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
      fc.constant('\t'),
    ),
    maxLength,
  });

const targetIdArb = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 3001, max: 3025 }) },
  { weight: 2, arbitrary: fc.constantFrom(0, -1, 1, 2026, 3000, 3026, 2147483647, 2147483648, 2 ** 53, 1.5, 1e21, -3001) },
  { weight: 1, arbitrary: fc.oneof(fc.string({ maxLength: 8 }), fc.constant(null), fc.boolean(), fc.jsonValue({ maxDepth: 2 })) },
);
const opNameArb = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom('call', 'release') },
  { weight: 1, arbitrary: fc.oneof(fc.constantFrom('CALL', 'steal', '', 'call '), fc.constant(null), fc.jsonValue({ maxDepth: 1 })) },
);
const opLikeArb = fc.oneof(
  { weight: 8, arbitrary: fc.record({ op: opNameArb, targetId: targetIdArb }, { requiredKeys: [] }) },
  { weight: 1, arbitrary: fc.record({ op: opNameArb, targetId: targetIdArb, extra: fc.jsonValue({ maxDepth: 1 }) }) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
);
const opsBodyArb = fc.oneof(
  { weight: 6, arbitrary: fc.record({ ops: fc.array(opLikeArb, { maxLength: 8 }) }) },
  { weight: 1, arbitrary: fc.record({ ops: fc.array(opLikeArb, { minLength: 49, maxLength: 60 }) }) },
  { weight: 1, arbitrary: fc.record({ ops: fc.jsonValue({ maxDepth: 2 }) }) },
);
const apiKeyArb = fc.oneof(
  fc.constantFrom(demoKey(ME), demoKey(2026), demoKey(9999), 'demo00000000200', 'demo0000000020011', 'demo000000002001 '),
  fc.stringMatching(/^[A-Za-z0-9]{16}$/),
  fc.string({ maxLength: 20 }),
  fc.jsonValue({ maxDepth: 1 }),
);

type Body =
  | { kind: 'none' }
  | { kind: 'text'; text: string }
  /** Sent as a stream (chunked, no content-length), so the size limit has to count. */
  | { kind: 'stream'; text: string };

const malformedArb = fc.oneof(
  fc.constantFrom(
    '{"ops":[',
    'not json',
    '',
    ' ',
    'NaN',
    '{"ops":[{"op":"call","targetId":3001}]',
    "{'ops':[]}",
    '\uFEFF{"ops":[{"op":"call","targetId":3001}]}',
    '{"ops":[{"op":"call","targetId":1e400}]}',
    '{"ops":[{"op":"call","targetId":3001.0}]}',
    '{"ops":[{"op":"call","targetId":-0}]}',
    '{"__proto__":{"ops":[{"op":"call","targetId":3001}]}}',
    '{"ops":[{"op":"call","targetId":3001}],"ops":"x"}',
    '{"apiKey":"' + demoKey(ME) + '"',
    '\u0000',
    '\uD800',
  ),
  fc.string({ maxLength: 60 }),
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.nat({ max: 20_000 }).map((n) => '['.repeat(n) + ']'.repeat(n)),
  fc.nat({ max: 30_000 }).map((n) => '['.repeat(n)),
  fc.jsonValue().map((v) => JSON.stringify(v).slice(0, -1)),
);
const oversizedArb = fc
  .tuple(fc.integer({ min: 64 * 1024 + 1, max: 200 * 1024 }), fc.boolean())
  .map(([n, asOps]) => (asOps ? JSON.stringify({ ops: [{ op: 'call', targetId: 3001, pad: 'x'.repeat(n) }] }) : 'x'.repeat(n)));
const bodyArb: fc.Arbitrary<Body> = fc.oneof(
  { weight: 2, arbitrary: fc.constant<Body>({ kind: 'none' }) },
  { weight: 3, arbitrary: fc.jsonValue().map((v): Body => ({ kind: 'text', text: JSON.stringify(v) })) },
  { weight: 5, arbitrary: opsBodyArb.map((v): Body => ({ kind: 'text', text: JSON.stringify(v) })) },
  {
    weight: 2,
    arbitrary: fc.record({ apiKey: apiKeyArb }, { requiredKeys: [] }).map((v): Body => ({ kind: 'text', text: JSON.stringify(v) })),
  },
  { weight: 3, arbitrary: malformedArb.map((text): Body => ({ kind: 'text', text })) },
  { weight: 1, arbitrary: oversizedArb.map((text): Body => ({ kind: 'text', text })) },
  {
    weight: 1,
    arbitrary: fc
      .oneof(
        oversizedArb,
        opsBodyArb.map((v) => JSON.stringify(v)),
      )
      .map((text): Body => ({ kind: 'stream', text })),
  },
);

const contentTypeArb = fc.oneof(
  { weight: 5, arbitrary: fc.constant('application/json') },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      undefined,
      'application/json; charset=utf-8',
      'APPLICATION/JSON',
      'application/vnd.api+json',
      'application/jsonx',
      'text/plain',
      'text/json',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      '',
      ';',
      'application/json; charset=latin1',
    ),
  },
  { weight: 1, arbitrary: headerText(60) },
);

type Auth = 'none' | 'member' | 'fresh' | { header: string } | { query: string };
const authArb: fc.Arbitrary<Auth> = fc.oneof(
  { weight: 10, arbitrary: fc.constant<Auth>('member') },
  { weight: 2, arbitrary: fc.constant<Auth>('none') },
  { weight: 1, arbitrary: fc.constant<Auth>('fresh') },
  {
    weight: 3,
    arbitrary: fc
      .oneof(
        fc.constantFrom(
          'Bearer',
          'Bearer ',
          'Basic Zm9vOmJhcg==',
          'bearer x',
          'Bearer ' + 'a'.repeat(50),
          'Bearer ' + 'A'.repeat(8000),
          'Bearer a b',
        ),
        headerText(120),
        headerText(60).map((s) => 'Bearer ' + s),
      )
      .map((header): Auth => ({ header })),
  },
  { weight: 1, arbitrary: fc.oneof(fc.string({ maxLength: 60 }), fc.constant('x'.repeat(200))).map((query): Auth => ({ query })) },
);

/** Query values: digits, junk, broken percent-encoding, and anything at all. */
const queryValueArb = fc.oneof(
  fc.constantFrom(
    '0',
    '1',
    '-1',
    '',
    'abc',
    '1.5',
    '1e3',
    '0x10',
    '999999999999999',
    '9999999999999999',
    '%',
    '%ZZ',
    '%E0%A4%A',
    '%00',
    '+',
    ' 1',
    '٣',
  ),
  fc.nat().map(String),
  fc.string({ maxLength: 20 }).map(encodeURIComponent),
  fc.string({ maxLength: 12 }),
);
/** `wait` values that never make a long-poll wait (25 s is the default, so never left empty). */
const waitValueArb = fc.constantFrom('0', '00', '-1', 'abc', '1.5', '0x1', '9999999999999999', '%30', '%', '٠', ' ');
const queryKeyArb = fc
  .oneof(
    fc.constantFrom('since', 'token', 'lastEventId', 'ops', 'since[]', '__proto__', '%', '%73ince'),
    fc.string({ maxLength: 10 }).map(encodeURIComponent),
  )
  .filter((k) => {
    try {
      return decodeURIComponent(k).toLowerCase() !== 'wait';
    } catch {
      return true;
    }
  });
const queryArb = fc.record({
  wait: fc.option(waitValueArb, { nil: undefined }),
  rest: fc.array(fc.tuple(queryKeyArb, fc.option(queryValueArb, { nil: undefined })), { maxLength: 4 }),
});

const extraHeadersArb = fc.dictionary(
  fc.constantFrom(
    'origin',
    'accept',
    'x-forwarded-for',
    'x-forwarded-host',
    'last-event-id',
    'cookie',
    'accept-encoding',
    'x-junk',
    'if-none-match',
    'range',
  ),
  fc.oneof(fc.constantFrom('null', 'https://www.torn.com', 'https://evil.example', '*', '', '1', 'gzip, br'), headerText(80)),
  { maxKeys: 3 },
);

const ENDPOINTS = [
  { method: 'POST', path: '/api/auth' },
  { method: 'DELETE', path: '/api/auth' },
  { method: 'GET', path: '/api/war' },
  { method: 'POST', path: '/api/calls' },
  { method: 'GET', path: '/api/events' },
] as const;
const endpointArb = fc.oneof(
  { weight: 10, arbitrary: fc.constantFrom(...ENDPOINTS).map((e) => ({ method: e.method as string, path: e.path as string })) },
  {
    weight: 2,
    arbitrary: fc.record({
      method: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'),
      path: fc.constantFrom(
        '/api/auth',
        '/api/war',
        '/api/calls',
        '/api/events',
        '/api/calls/',
        '/api//calls',
        '/API/calls',
        '/api/calls%00',
        '/api/%ZZ',
        '/api',
        '/api/',
      ),
    }),
  },
);
const requestArb = fc.record({
  endpoint: endpointArb,
  auth: authArb,
  query: queryArb,
  body: bodyArb,
  contentType: contentTypeArb,
  headers: extraHeadersArb,
});
type FuzzRequest = typeof requestArb extends fc.Arbitrary<infer T> ? T : never;

// ---------------------------------------------------------------------------------------------------
// Checks

/** A 4xx/5xx must be exactly the error shape, with a registered code and its own status. */
function assertErrorBody(status: number, contentType: string | null, text: string, what: string): { code: string } {
  assert.match(contentType ?? '', /^application\/json/, `${what}: a ${status} must be JSON, got ${contentType}: ${text.slice(0, 200)}`);
  let body: any;
  try {
    body = JSON.parse(text);
  } catch {
    assert.fail(`${what}: a ${status} with a body that is not JSON: ${text.slice(0, 200)}`);
  }
  assert.equal(typeof body?.error?.code, 'string', `${what}: ${text.slice(0, 200)}`);
  assert.equal(typeof body.error.message, 'string', `${what}: ${text.slice(0, 200)}`);
  assert.ok(body.error.code in ERROR_CODES, `${what}: unregistered code ${body.error.code}`);
  assert.equal(
    ERROR_CODES[body.error.code as keyof typeof ERROR_CODES].status,
    status,
    `${what}: ${body.error.code} with status ${status}`,
  );
  assert.doesNotMatch(text, /at .+\.(ts|js):\d+/, `${what}: a stack trace leaked`);
  return body.error;
}

const crashes: unknown[] = [];
const onCrash = (e: unknown) => {
  crashes.push(e);
};

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

describe('fuzzing the JSON endpoints', () => {
  let f: WarFixture;
  let member: string;
  let other: string;
  const tried = new Map<string, number>();
  const statuses = new Map<number, number>();

  before(async () => {
    process.on('uncaughtException', onCrash);
    process.on('unhandledRejection', onCrash);
    f = await startWarFixture(pglite, { env: FUZZ_LIMITS });
    member = await f.signIn(ME);
    other = await f.signIn(OTHER);
    await f.sync(FACTION);
    const held = await f.api('/api/calls', { token: other, body: { ops: OTHERS_TARGETS.map((targetId) => ({ op: 'call', targetId })) } });
    assert.equal(held.status, 200, JSON.stringify(held.body));
    assert.ok(held.body.results.every((r: any) => r.ok));
  });
  after(async () => {
    process.off('uncaughtException', onCrash);
    process.off('unhandledRejection', onCrash);
    console.log(`fuzz-http: inputs tried per property: ${JSON.stringify(Object.fromEntries(tried))}`);
    console.log(`fuzz-http: statuses seen: ${JSON.stringify(Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])))}`);
    await f?.close();
  });

  async function send(r: FuzzRequest): Promise<{ status: number; contentType: string | null; text: string; what: string }> {
    const { method, path } = r.endpoint;
    const headers: Record<string, string> = { ...r.headers };
    let token: string | undefined;
    // A DELETE /api/auth with the member's token would sign the member out for the rest of the run.
    if (r.auth === 'member' && !(method === 'DELETE' && path === '/api/auth')) token = member;
    else if (r.auth === 'member' || r.auth === 'fresh') token = await createSession(f.db, OTHER, FACTION, 60_000);
    if (token) headers.authorization = `Bearer ${token}`;
    else if (typeof r.auth === 'object' && 'header' in r.auth) headers.authorization = r.auth.header;
    const query: string[] = [];
    if (r.query.wait !== undefined || path === '/api/events') query.push(`wait=${r.query.wait ?? '0'}`);
    for (const [k, v] of r.query.rest) query.push(v === undefined ? k : `${k}=${v}`);
    if (typeof r.auth === 'object' && 'query' in r.auth) query.push(`token=${encodeURIComponent(r.auth.query)}`);
    const url = f.server.url + path + (query.length ? '?' + query.join('&') : '');
    const canHaveBody = method !== 'GET' && method !== 'HEAD';
    let body: BodyInit | undefined;
    let duplex: 'half' | undefined;
    if (canHaveBody && r.body.kind !== 'none') {
      if (r.contentType !== undefined) headers['content-type'] = r.contentType;
      if (r.body.kind === 'text') body = r.body.text;
      else {
        const bytes = new TextEncoder().encode(r.body.text);
        body = new ReadableStream({
          start(c) {
            for (let i = 0; i < bytes.length; i += 16 * 1024) c.enqueue(bytes.subarray(i, i + 16 * 1024));
            c.close();
          },
        });
        duplex = 'half';
      }
    }
    const what = `${method} ${url.slice(f.server.url.length, f.server.url.length + 200)} (${r.body.kind}${
      r.body.kind === 'none' ? '' : ` ${r.body.text.length} chars`
    })`;
    const init: RequestInit & { duplex?: 'half' } = { method, headers, body, duplex, signal: AbortSignal.timeout(10_000) };
    const res = await fetch(url, init);
    const text = await res.text();
    return { status: res.status, contentType: res.headers.get('content-type'), text, what };
  }

  test('every JSON endpoint answers random bodies, headers and query strings with a valid answer or a 4xx error body, never a 5xx', async () => {
    let n = 0;
    let cutOff = 0;
    await fc.assert(
      fc.asyncProperty(requestArb, async (r) => {
        n++;
        let answer;
        try {
          answer = await send(r);
        } catch (e) {
          // A body the server refuses before reading it (413) may reset the stream undici is still sending.
          if (r.body.kind === 'stream' && r.body.text.length > 64 * 1024) {
            cutOff++;
            return;
          }
          throw e;
        }
        const { status, contentType, text, what } = answer;
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        assert.ok(status < 500, `${what}: ${status} ${text.slice(0, 300)}`);
        if (status >= 400) {
          if (r.endpoint.method !== 'HEAD') assertErrorBody(status, contentType, text, what);
        } else if (r.endpoint.method !== 'HEAD' && r.endpoint.method !== 'OPTIONS') {
          assert.match(contentType ?? '', /^application\/json/, `${what}: ${status} ${contentType}`);
          JSON.parse(text);
        }
        assert.deepEqual(crashes, [], `${what}: the server threw outside a request`);
      }),
      { seed: FUZZ_SEED, numRuns: FUZZ_RUNS, includeErrorInReport: true },
    );
    tried.set('endpoints', n);
    console.log(`fuzz-http: oversized streamed bodies cut off by the server before an answer was read: ${cutOff}`);
    assert.deepEqual(crashes, []);
  });

  // ---- Writes: a model of the calls decides what each op must do; the log and the table must agree.

  type Open = Map<number, number>; // targetId → callerId

  async function state(): Promise<{ open: Open; calls: number; maxCallId: number; events: { seq: number; event: string; data: any }[] }> {
    const calls = await f.db.query<{ target_id: number; caller_id: number; state: string; id: number }>(
      'select id, target_id, caller_id, state from calls where faction_id = $1 order by id',
      [FACTION],
    );
    const events = await f.db.query<{ seq: number; event: string; data: any }>(
      'select seq, event, data from faction_events where faction_id = $1 order by seq',
      [FACTION],
    );
    const open: Open = new Map();
    for (const c of calls.rows) if (c.state === 'called') open.set(Number(c.target_id), Number(c.caller_id));
    return {
      open,
      calls: calls.rows.length,
      maxCallId: calls.rows.reduce((m, c) => Math.max(m, Number(c.id)), 0),
      events: events.rows.map((e) => ({
        seq: Number(e.seq),
        event: e.event,
        data: typeof e.data === 'string' ? JSON.parse(e.data) : e.data,
      })),
    };
  }

  /** What one op by ME must answer, and the call change it must log (if any). Updates `open`. */
  function expect(
    open: Open,
    op: { op: 'call' | 'release'; targetId: number },
  ): { code: string | null; write?: { targetId: number; state: string } } {
    const { targetId } = op;
    const holder = open.get(targetId);
    if (op.op === 'call') {
      if (!TARGETS.has(targetId)) return { code: 'not_a_target' };
      if (holder === ME) return { code: null };
      if (holder !== undefined) return { code: 'already_called' };
      if ([...open.values()].filter((c) => c === ME).length >= 3) return { code: 'too_many_calls' };
      open.set(targetId, ME);
      return { code: null, write: { targetId, state: 'called' } };
    }
    if (holder === undefined) return { code: TARGETS.has(targetId) ? 'ok_null' : 'not_a_target' };
    if (holder !== ME) return { code: 'not_your_call' };
    open.delete(targetId);
    return { code: null, write: { targetId, state: 'released' } };
  }

  const validOpArb = fc.record({
    op: fc.oneof({ weight: 2, arbitrary: fc.constant<'call'>('call') }, { weight: 3, arbitrary: fc.constant<'release'>('release') }),
    targetId: fc.oneof(
      { weight: 8, arbitrary: fc.constantFrom(3001, 3002, 3003, 3004, 3005, 3006, ...OTHERS_TARGETS) },
      { weight: 2, arbitrary: fc.integer({ min: 3001, max: 3025 }) },
      { weight: 2, arbitrary: fc.constantFrom(1, 2001, 2026, 3000, 3026, 2147483647) },
    ),
  });
  /** An op whose shape is wrong: the whole request must be a 400 that writes nothing. */
  const invalidOpArb = fc.oneof(
    fc.record({
      op: fc.constantFrom('call', 'release'),
      targetId: fc.constantFrom<unknown>(0, -3001, 1.5, '3001', null, 2147483648, 2 ** 53, true, [3001], {}),
    }),
    fc.record({ op: fc.constantFrom<unknown>('CALL', 'steal', '', null, 1, ['call']), targetId: fc.integer({ min: 3001, max: 3025 }) }),
    fc.record({ op: fc.constantFrom('call', 'release') }),
    fc.record({ targetId: fc.integer({ min: 3001, max: 3025 }) }),
    fc.constantFrom<unknown>(null, 3001, 'call', [], [{ op: 'call', targetId: 3001 }]),
  );
  const batchArb = fc.oneof(
    { weight: 3, arbitrary: fc.array(validOpArb, { minLength: 1, maxLength: 8 }).map((ops) => ({ ops, invalidAt: -1 })) },
    {
      weight: 2,
      arbitrary: fc.tuple(fc.array(validOpArb, { maxLength: 7 }), invalidOpArb, fc.nat()).map(([ops, bad, at]) => {
        const i = ops.length === 0 ? 0 : at % (ops.length + 1);
        return { ops: [...ops.slice(0, i), bad, ...ops.slice(i)] as unknown[], invalidAt: i };
      }),
    },
  );

  test('only valid operations write: per-op refusals and malformed batches leave the calls table and the event log as they were', async () => {
    let n = 0;
    let writes = 0;
    let refusals = 0;
    await fc.assert(
      fc.asyncProperty(batchArb, async ({ ops, invalidAt }) => {
        n++;
        const before = await state();
        const r = await f.api('/api/calls', { token: member, body: { ops } });
        const after = await state();
        const newEvents = after.events.filter((e) => e.seq > (before.events.at(-1)?.seq ?? 0));
        const what = JSON.stringify(ops);
        if (invalidAt >= 0 || r.status !== 200) {
          if (invalidAt >= 0) {
            assert.equal(r.status, 400, `${what}: ${JSON.stringify(r.body)}`);
            assert.match(r.body.error.message, new RegExp(`^ops\\[${invalidAt}\\]`), what);
          } else assert.equal(r.status, 429, `${what}: ${r.status} ${JSON.stringify(r.body)}`);
          assert.deepEqual(newEvents, [], `${what}: a refused batch logged events`);
          assert.equal(after.calls, before.calls, `${what}: a refused batch wrote calls`);
          assert.deepEqual(after.open, before.open, what);
          return;
        }
        const model = new Map(before.open);
        const expected = (ops as { op: 'call' | 'release'; targetId: number }[]).map((op) => expect(model, op));
        const results = r.body.results as any[];
        assert.equal(results.length, ops.length, what);
        results.forEach((res, i) => {
          const want = expected[i];
          if (want.code === null || want.code === 'ok_null') {
            assert.equal(res.ok, true, `${what} op ${i}: ${JSON.stringify(res)}`);
            if (want.code === 'ok_null') assert.equal(res.call, null, `${what} op ${i}`);
          } else {
            assert.equal(res.ok, false, `${what} op ${i}: ${JSON.stringify(res)}`);
            // A rate limit on single operations is a refusal too; the check below still holds.
            if (res.error.code !== 'rate_limited') assert.equal(res.error.code, want.code, `${what} op ${i}`);
            refusals++;
          }
        });
        // Every logged change is one op that had to write, in request order; no refused op wrote.
        const writesExpected = expected.filter((e) => e.write).map((e) => ({ callerId: ME, ...e.write }));
        writes += writesExpected.length;
        assert.deepEqual(
          newEvents.map((e) => ({ event: e.event, callerId: e.data.callerId, targetId: e.data.targetId, state: e.data.state })),
          writesExpected.map((w) => ({ event: 'target_call', ...w })),
          what,
        );
        assert.equal(after.calls - before.calls, writesExpected.filter((w) => w.state === 'called').length, `${what}: calls rows`);
        assert.deepEqual(after.open, model, what);
        assert.equal(r.body.seq, after.events.at(-1)?.seq ?? 0, what);
      }),
      { seed: FUZZ_SEED, numRuns: FUZZ_RUNS, includeErrorInReport: true },
    );
    tried.set('writes', n);
    console.log(`fuzz-http: writes checked: ${writes} changes, ${refusals} per-op refusals`);
    assert.ok(writes > 10 && refusals > 10, `the batches exercised both writes (${writes}) and refusals (${refusals})`);
    assert.deepEqual(crashes, []);
  });

  test('after the fuzz the server still answers /healthz', async () => {
    await sleep(50);
    const r = await f.api('/healthz');
    assert.equal(r.status, 200);
    assert.equal(r.body.ok, true);
    assert.deepEqual(crashes, []);
  });
});
