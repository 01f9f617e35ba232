import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createTornClient, TORN_USER_AGENT } from '../../src/torn/index.js';
import { sendJson, startFakeTorn } from './fake-torn.js';

const KEY = 'zZ9yY8xX7wW6vV5u';
const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

test('every request names TornCat and its version in User-Agent, and keeps comment=torncat', async () => {
  const agents: (string | undefined)[] = [];
  const fake = await startFakeTorn((req, res) => {
    agents.push(req.headers['user-agent']);
    sendJson(res, { timestamp: 1_800_000_000 });
  });
  try {
    const torn = createTornClient({ baseUrl: fake.url });
    await torn.tornTimestamp(KEY);
    assert.equal(TORN_USER_AGENT, `TornCat/${version}`);
    assert.deepEqual(agents, [`TornCat/${version}`]);
    assert.equal(fake.requests[0].searchParams.get('comment'), 'torncat');
  } finally {
    await fake.close();
  }
});

test("Torn's clock is asked on v2 torn/timestamp, always fresh", async () => {
  const fake = await startFakeTorn((_req, res) => sendJson(res, { timestamp: 1_800_000_000 }));
  try {
    const torn = createTornClient({ baseUrl: fake.url });
    assert.deepEqual(await torn.tornTimestamp(KEY), { timestamp: 1_800_000_000 });
    const url = fake.requests[0];
    assert.equal(url.pathname, '/v2/torn/timestamp');
    assert.ok(Math.abs(Number(url.searchParams.get('timestamp')) - Date.now() / 1000) < 5, 'past any cache');
  } finally {
    await fake.close();
  }
});

test("a faction's members and wars are one request with both selections, by id", async () => {
  const events: string[] = [];
  const fake = await startFakeTorn((_req, res) =>
    sendJson(res, {
      members: [],
      pacts: [],
      wars: {
        ranked: { war_id: 5001, start: 1, end: 0, target: 3000, winner: null, factions: [{ id: 1002, name: 'R', score: 3, chain: 1 }] },
        raids: [],
        territory: [],
      },
    }),
  );
  try {
    const torn = createTornClient({ baseUrl: fake.url, onRequest: (e) => events.push(e.endpoint) });
    const answer = await torn.factionMembersAndWars(KEY, 1002, { fresh: true });
    assert.equal(answer.wars.ranked?.factions[0].score, 3);
    const url = fake.requests[0];
    assert.equal(url.pathname, '/v2/faction');
    assert.equal(url.searchParams.get('id'), '1002');
    assert.equal(url.searchParams.get('selections'), 'members,wars');
    assert.deepEqual(events, ['v2/faction/{id}?selections=members,wars'], 'a low-cardinality label');
  } finally {
    await fake.close();
  }
});

test('a wars answer without the start or scores TornCat reads is refused, not half-read', async () => {
  const fake = await startFakeTorn((_req, res) =>
    sendJson(res, { pacts: [], wars: { ranked: { war_id: 5001 }, raids: [], territory: [] } }),
  );
  try {
    const torn = createTornClient({ baseUrl: fake.url });
    await assert.rejects(torn.factionWars(KEY, 1001), (e: Error & { kind?: string }) => e.kind === 'unknown');
  } finally {
    await fake.close();
  }
});
