// Torn requests per war-hour: TornCat (one poller per war, members' keys pooled) against the old
// design (every member's own client polled Torn: target status every 1 s, own faction every 5 s,
// war check every 30 s). Both run for real against the simulator, which counts what Torn would see
// (/__sim/stats); intervals are scaled down so that a war-minute lasts a moment, and the counts of
// the measured war-minutes are extrapolated to an hour.

import { loadConfig } from '../src/config.js';
import { BENCH_LIMITS } from './limits.js';
import { createLogger } from '../src/log.js';
import { startServer } from '../src/server/start-server.js';
import { demoKeyFor, startSimulator, type Simulator } from '../src/simulator/index.js';

export interface TornRequestsRow {
  members: number;
  /** Members actually signed in (the scenario's faction has 25). */
  signedIn: number;
  torncatPerHour: number;
  /** Of those, Torn's chain and ranked war reports (the war report's real hits). */
  torncatReportsPerHour: number;
  /** The most requests one member key served in one war-minute, TornCat. */
  torncatBusiestKeyPerMinute: number;
  legacyPerHour: number;
  /** What the old design costs on paper: members × (3600 + 720 + 120). */
  legacyExpectedPerHour: number;
}

export interface TornRequestsOptions {
  memberCounts?: number[];
  /** War-minutes measured per design and member count. @default 3 */
  minutes?: number;
  /** TornCat's intervals are the seed defaults divided by this. @default 50 */
  scale?: number;
  /** The old design's intervals are divided by this (its 1 s poll is hard to run faster). @default 10 */
  legacyScale?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const SCENARIO_MEMBERS = 25;

interface SimStats {
  total: number;
  byKey: Record<string, number>;
  byEndpoint: Record<string, number>;
}

async function stats(sim: Simulator): Promise<SimStats> {
  return (await fetch(sim.url + '/__sim/stats')).json() as Promise<SimStats>;
}

/** Requests for Torn's chain and ranked war reports. */
const reports = (s: SimStats) =>
  Object.entries(s.byEndpoint)
    .filter(([endpoint]) => /\/(chainreport|rankedwarreport)$/.test(endpoint))
    .reduce((n, [, count]) => n + count, 0);

/** TornCat's server with the seed's intervals scaled; members sign in one after another. */
async function measureTorncat(
  counts: number[],
  minutes: number,
  scale: number,
): Promise<Map<number, { perHour: number; reportsPerHour: number; busiest: number }>> {
  const sim = await startSimulator({ dynamic: true });
  const minuteMs = 60_000 / scale;
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: 'memory://',
    TORN_API_URL: sim.url,
    LOG_LEVEL: 'silent',
    TARGET_STATUS_REFRESH_INTERVAL_MS: String(Math.round(5000 / scale)),
    WAR_CHECK_INTERVAL_MS: String(Math.round(60_000 / scale)),
    OWN_FACTION_REFRESH_INTERVAL_MS: String(Math.round(30_000 / scale)),
    TORN_KEY_BUDGET_PER_MIN: '20',
    ...BENCH_LIMITS,
  });
  const server = await startServer(config, { log: createLogger('silent'), keyBudgetWindowMs: minuteMs });
  const out = new Map<number, { perHour: number; reportsPerHour: number; busiest: number }>();
  let signedIn = 0;
  try {
    for (const members of counts) {
      for (; signedIn < Math.min(members, SCENARIO_MEMBERS); signedIn++) {
        const res = await fetch(server.url + '/api/auth', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ apiKey: demoKeyFor(2001 + signedIn) }),
        });
        if (res.status !== 200) throw new Error(`sign-in of ${2001 + signedIn} failed: ${res.status} ${await res.text()}`);
      }
      await sleep(minuteMs / 2);
      let busiest = 0;
      const start = await stats(sim);
      let prev = start;
      for (let m = 0; m < minutes; m++) {
        await sleep(minuteMs);
        const now = await stats(sim);
        for (const [k, n] of Object.entries(now.byKey)) busiest = Math.max(busiest, n - (prev.byKey[k] ?? 0));
        prev = now;
      }
      out.set(members, {
        perHour: Math.round(((prev.total - start.total) / minutes) * 60),
        reportsPerHour: Math.round(((reports(prev) - reports(start)) / minutes) * 60),
        busiest,
      });
    }
  } finally {
    await server.close();
    await sim.close();
  }
  return out;
}

/** The old design: each member's own client on its own timers, with its own key. */
async function measureLegacy(members: number, minutes: number, scale: number): Promise<number> {
  const sim = await startSimulator({ dynamic: true });
  const timers: NodeJS.Timeout[] = [];
  const get = (path: string, key: string) => {
    fetch(`${sim.url}${path}${path.includes('?') ? '&' : '?'}key=${key}&comment=legacy`)
      .then((r) => r.arrayBuffer())
      .catch(() => {});
  };
  const start = (await stats(sim)).total;
  for (let i = 0; i < members; i++) {
    const key = demoKeyFor(2001 + (i % SCENARIO_MEMBERS));
    // Staggered like real members who opened the page at different moments.
    const offset = Math.random() * (1000 / scale);
    const every = (ms: number, path: string) => {
      const t = setTimeout(() => {
        get(path, key);
        timers.push(setInterval(() => get(path, key), ms / scale));
      }, offset);
      timers.push(t);
    };
    every(1000, '/v2/faction/1002/members');
    every(5000, '/v2/faction/members');
    every(30_000, '/v2/faction/wars');
  }
  await sleep((minutes * 60_000) / scale);
  for (const t of timers) clearInterval(t);
  await sleep(200);
  const total = (await stats(sim)).total - start;
  await sim.close();
  return Math.round((total / minutes) * 60);
}

export async function benchTornRequests(o: TornRequestsOptions = {}): Promise<TornRequestsRow[]> {
  const counts = o.memberCounts ?? [1, 25, 100];
  const minutes = o.minutes ?? 3;
  const torncat = await measureTorncat(counts, minutes, o.scale ?? 50);
  const rows: TornRequestsRow[] = [];
  for (const members of counts) {
    const legacyMinutes = members > SCENARIO_MEMBERS ? 1 : Math.min(minutes, 2);
    const t = torncat.get(members)!;
    rows.push({
      members,
      signedIn: Math.min(members, SCENARIO_MEMBERS),
      torncatPerHour: t.perHour,
      torncatReportsPerHour: t.reportsPerHour,
      torncatBusiestKeyPerMinute: t.busiest,
      legacyPerHour: await measureLegacy(members, legacyMinutes, o.legacyScale ?? 10),
      legacyExpectedPerHour: members * (3600 + 720 + 120),
    });
  }
  return rows;
}

export function formatTornRequests(rows: TornRequestsRow[]): string {
  const n = (v: number) => v.toLocaleString('en-US');
  const head = ['members', 'TornCat req/war-hour', 'of which Torn reports', 'busiest key req/min', 'old design req/war-hour (expected)', 'reduction'];
  const body = rows.map((r) => [
    r.signedIn === r.members ? String(r.members) : `${r.members} (${r.signedIn} signed in)`,
    n(r.torncatPerHour),
    n(r.torncatReportsPerHour),
    String(r.torncatBusiestKeyPerMinute),
    `${n(r.legacyPerHour)} (${n(r.legacyExpectedPerHour)})`,
    `${(r.legacyPerHour / Math.max(1, r.torncatPerHour)).toFixed(0)}×`,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => '| ' + cells.map((c, i) => c.padEnd(widths[i])).join(' | ') + ' |';
  return [line(head), '|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|', ...body.map(line)].join('\n');
}
