import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { demoKeyFor } from '../../src/simulator/index.js';
import { sharedBackends } from '../helpers/databases.js';
import { startDrill, signIn, type Drill } from '../helpers/outage-drill.js';
import { SseClient } from '../helpers/stream-clients.js';
import { oneByOne, oneShot, workerOf } from './workers.js';

// The limits are the node's, not each worker's: with two workers a per-worker count would let
// twice the limit through. Every request goes on a connection of its own, so Node's round-robin
// spreads them over both workers (each answer says which worker gave it). Addresses come from
// X-Forwarded-For (a trusted proxy), one per check, so the checks do not spend each other's allowance.
for (const backend of await sharedBackends()) {
  describe(`WORKERS=2: the limits hold for the node, across workers (${backend.name})`, { timeout: 60_000 }, () => {
    let d: Drill;
    let database: Awaited<ReturnType<typeof backend.open>>;
    /** Members 2010 and 2011, signed in (with 2001, the drill's: 3 of the 6 checks of new keys spent). */
    let member: string;
    let other: string;
    before(async () => {
      database = await backend.open({ migrated: false });
      d = await startDrill(database.url, {
        WORKERS: '2',
        TORNCAT_TRUST_PROXY: '1',
        STREAMS_PER_TOKEN: '4',
        STREAMS_PER_IP: '6',
        SIGN_IN_LIMIT_PER_MIN: '4',
        UNKNOWN_KEY_CHECKS_PER_MIN: '6',
        CALL_OPS_LIMIT_PER_MIN: '5',
      });
      member = await signIn(d, 2010);
      other = await signIn(d, 2011);
    });
    after(async () => {
      await d?.close();
      await database?.close();
    });

    const from = (ip: string) => ({ 'x-forwarded-for': ip });

    test('UNKNOWN_KEY_CHECKS_PER_MIN=6, 3 spent: of 6 keys the node does not hold, 3 reach Torn, from any address and worker', async () => {
      const answers = await oneByOne(6, (i) =>
        oneShot(d.server.url, '/api/auth', {
          headers: from(`203.0.113.${10 + i}`),
          body: { apiKey: `badKey${String(i).padStart(10, '0')}` },
        }),
      );
      assert.deepEqual(
        answers.map((a) => a.body.error?.code),
        ['torn_key_rejected', 'torn_key_rejected', 'torn_key_rejected', 'rate_limited', 'rate_limited', 'rate_limited'],
        JSON.stringify(answers.map((a) => a.body)),
      );
      assert.deepEqual(new Set(answers.map((a) => a.worker)), new Set(['1', '2']));
    });

    test('REJECTED_KEY_COOLDOWN_MS: a key Torn rejected through one worker is refused by both, without asking Torn', async () => {
      const answers = await oneByOne(4, (i) =>
        oneShot(d.server.url, '/api/auth', {
          headers: from(`203.0.113.${20 + i}`),
          body: { apiKey: `badKey${String(i % 3).padStart(10, '0')}` },
        }),
      );
      for (const a of answers)
        assert.match(a.body.error?.message ?? '', /^Torn rejected this API key a moment ago/, JSON.stringify(a.body));
      assert.deepEqual(new Set(answers.map((a) => a.worker)), new Set(['1', '2']));
    });

    test('SIGN_IN_LIMIT_PER_MIN=4: of 8 sign-ins from one address (a key the node holds), exactly 4 go through, answered by both workers', async () => {
      const answers = await oneByOne(8, () =>
        oneShot(d.server.url, '/api/auth', { headers: from('203.0.113.1'), body: { apiKey: demoKeyFor(2001) } }),
      );
      assert.deepEqual(
        answers.map((a) => a.status),
        [200, 200, 200, 200, 429, 429, 429, 429],
        JSON.stringify(answers.map((a) => a.body)),
      );
      assert.match(answers[4].body.error.message, /^Too many sign-in attempts from your address: at most 4 a minute\. Try again in \d+ s$/);
      assert.deepEqual(new Set(answers.map((a) => a.worker)), new Set(['1', '2']));
    });

    test('CALL_OPS_LIMIT_PER_MIN=5: of 10 calls by one member, exactly 5 go through, answered by both workers', async () => {
      const answers = await oneByOne(10, (i) =>
        oneShot(d.server.url, '/api/calls', {
          headers: { authorization: `Bearer ${member}` },
          body: { ops: [{ op: i % 2 === 0 ? 'call' : 'release', targetId: 3011 }] },
        }),
      );
      assert.deepEqual(
        answers.map((a) => a.status),
        [200, 200, 200, 200, 200, 429, 429, 429, 429, 429],
        JSON.stringify(answers.map((a) => a.body)),
      );
      assert.match(answers[5].body.error.message, /^Too many member operations .* at most 5 a minute/);
      assert.deepEqual(new Set(answers.map((a) => a.worker)), new Set(['1', '2']));
    });

    test('STREAMS_PER_TOKEN=4 and STREAMS_PER_IP=6 count the streams of both workers, and closed ones are given back', async () => {
      const open = (token: string) => SseClient.connect(d.server.url, { token, headers: { connection: 'close', ...from('198.51.100.7') } });
      const mine: SseClient[] = [];
      for (let i = 0; i < 8; i++) mine.push(await open(d.token));
      assert.deepEqual(
        mine.map((c) => c.status),
        [200, 200, 200, 200, 429, 429, 429, 429],
      );
      assert.deepEqual(new Set(mine.slice(0, 4).map(workerOf)), new Set(['1', '2']), 'the 4 open streams are on both workers');
      await mine[4].until(() => false, 300).catch(() => {});
      assert.match(mine[4].raw, /Too many open streams for this session: at most 4\. Close a tab or window/);

      const theirs: SseClient[] = [];
      for (let i = 0; i < 4; i++) theirs.push(await open(other));
      assert.deepEqual(
        theirs.map((c) => c.status),
        [200, 200, 429, 429],
        'the address holds 6 streams over both workers',
      );
      await theirs[2].until(() => false, 300).catch(() => {});
      assert.match(theirs[2].raw, /Too many open streams from your address: at most 6/);

      // Closed streams are given back whichever worker held them.
      for (const c of [...mine, ...theirs]) c.close();
      const again: SseClient[] = [];
      for (let i = 0; i < 6; i++) again.push(await retryOpen(() => open(i < 4 ? d.token : other)));
      assert.deepEqual(
        again.map((c) => c.status),
        [200, 200, 200, 200, 200, 200],
      );
      for (const c of again) c.close();
      assert.deepEqual(d.server.errors(), []);
    });
  });
}

/** A closed stream's slot is given back once its worker sees the close: a moment after the client closes. */
async function retryOpen(open: () => Promise<SseClient>): Promise<SseClient> {
  for (let i = 0; ; i++) {
    const c = await open();
    if (c.status === 200 || i === 20) return c;
    c.close();
    await new Promise((r) => setTimeout(r, 50));
  }
}
