// Many factions at war at once on one node: 200 factions (100 wars) of 50 members, every member
// signed in and streaming (half SSE, half WebSocket), a real `torncat serve` process against the
// simulator's many-factions scenario. Over a minute of polling alone: Torn requests per minute (per
// faction and for the node) and database time per Torn request; over a minute of calls in every
// faction: NOTIFYs per second and how long a call takes to reach every member; then the node's memory.

import { benchPostgres } from './bench-database.js';
import {
  countNotifies,
  databaseTime,
  inParallel,
  percentile,
  serverMemory,
  startManyFactionsWar,
  tornRequests,
  waitStreamsAtHead,
  type ManyFactionsWar,
} from '../test/scale/many-factions-war.js';

export interface ManyFactionsRow {
  setting: string;
  database: string;
  factions: number;
  streams: number;
  nodePerMin: number;
  /** Torn requests per faction in the minute: least, median, most. */
  factionPerMin: [number, number, number];
  /** Milliseconds the database spent (running statements, or inside transactions between them) per Torn request. */
  dbMsPerSync: number;
  notifiesPerSecond: number;
  callP50: number;
  callP99: number;
  rssMiB: number;
  heapMiB: number;
  signInSeconds: number;
  /** Seconds from the last sign-in until every faction's war was read (the cap when some never were). */
  everyWarReadSeconds: number;
  /** Factions whose war was still unread then. */
  unread: number;
}

export interface ManyFactionsOptions {
  factions?: number;
  members?: number;
  /** @default 60000 */
  windowMs?: number;
}

const SETTINGS: { name: string; env: Record<string, string> }[] = [
  { name: 'seed intervals, address budget 600', env: {} },
  {
    name: 'enemy 30 s, war/own 60 s, budget 1000',
    env: {
      TORN_ADDRESS_BUDGET_PER_MIN: '1000',
      TARGET_STATUS_REFRESH_INTERVAL_MS: '30000',
      WAR_CHECK_INTERVAL_MS: '60000',
      OWN_FACTION_REFRESH_INTERVAL_MS: '60000',
    },
  },
];

/** Every faction's first member calls a target, then releases it, every 3 s: the latency of each to every member. */
async function callLatencies(war: ManyFactionsWar, ms: number): Promise<number[]> {
  const sent: { f: ManyFactionsWar['factions'][number]; seq: number; at: number }[] = [];
  const end = Date.now() + ms;
  for (let round = 0; Date.now() < end; round++) {
    await inParallel(war.factions, 32, async (f) => {
      const at = performance.now();
      const targetId = war.factions.find((e) => e.id === f.enemyId)!.memberIds[2];
      const r = await war.api('/api/calls', { token: f.tokens[0], body: { ops: [{ op: round % 2 ? 'release' : 'call', targetId }] } });
      if (r.status === 200 && r.body.results[0].ok) sent.push({ f, seq: r.body.seq, at });
    });
    await new Promise((r) => setTimeout(r, 3000));
  }
  await waitStreamsAtHead(war);
  const out: number[] = [];
  for (const { f, seq, at } of sent) for (const s of f.streams) if (s.arrivals.has(seq)) out.push(s.arrivals.get(seq)!.at - at);
  return out.sort((a, b) => a - b);
}

export async function benchManyFactions(o: ManyFactionsOptions = {}): Promise<ManyFactionsRow[]> {
  const factions = o.factions ?? 200;
  const members = o.members ?? 50;
  const windowMs = o.windowMs ?? 60_000;
  const rows: ManyFactionsRow[] = [];
  for (const setting of SETTINGS) {
    const pgdb = await benchPostgres();
    const databaseUrl = pgdb?.url ?? 'memory://';
    const war = await startManyFactionsWar({ factions, members, databaseUrl, env: setting.env, allowUnread: true });
    try {
      // A quiet minute first (the budget windows fill): Torn requests and database time per request
      // with nothing but the polling going on.
      await new Promise((r) => setTimeout(r, windowMs / 2));
      const before = await tornRequests(war);
      const dbBefore = pgdb ? await databaseTime(databaseUrl) : undefined;
      let started = performance.now();
      await new Promise((r) => setTimeout(r, windowMs));
      const after = await tornRequests(war);
      const dbAfter = pgdb ? await databaseTime(databaseUrl) : undefined;
      const quietSeconds = (performance.now() - started) / 1000;
      // Then a minute of calls in every faction: their way to every member, and the NOTIFYs they cost.
      const notifies = pgdb ? await countNotifies(databaseUrl) : undefined;
      started = performance.now();
      const calls = await callLatencies(war, windowMs);
      const callSeconds = (performance.now() - started) / 1000;
      await notifies?.close();
      const perFaction = war.factions.map((f) => after.byFaction.get(f.id)! - before.byFaction.get(f.id)!).sort((a, b) => a - b);
      const perMin = (n: number) => (n * 60) / quietSeconds;
      const node = after.total - before.total;
      const memory = await serverMemory(war);
      rows.push({
        setting: setting.name,
        database: pgdb ? 'PostgreSQL' : 'PGlite',
        factions,
        streams: factions * members,
        nodePerMin: perMin(node),
        factionPerMin: [perMin(perFaction[0]), perMin(percentile(perFaction, 50)), perMin(perFaction.at(-1)!)],
        dbMsPerSync:
          dbBefore && dbAfter ? (dbAfter.activeMs - dbBefore.activeMs + dbAfter.inTransactionMs - dbBefore.inTransactionMs) / node : NaN,
        notifiesPerSecond: notifies ? notifies.count() / callSeconds : NaN,
        callP50: percentile(calls, 50),
        callP99: percentile(calls, 99),
        rssMiB: memory.rssMiB,
        heapMiB: memory.heapMiB,
        signInSeconds: war.timings.signIn / 1000,
        everyWarReadSeconds: war.timings.firstSync / 1000,
        unread: war.unread.length,
      });
    } finally {
      await war.close();
      await pgdb?.drop();
    }
  }
  return rows;
}

export function formatManyFactions(rows: ManyFactionsRow[]): string {
  const head = [
    'setting',
    'database',
    'streams',
    'Torn req/min node',
    'per faction (min/median/max)',
    'DB ms per Torn request (quiet)',
    'NOTIFY/s (calls)',
    'call → member p50/p99 ms',
    'RSS / heap MiB',
    'sign-ins s',
    'every war read s',
  ];
  const body = rows.map((r) => [
    r.setting,
    r.database,
    String(r.streams),
    r.nodePerMin.toFixed(0),
    r.factionPerMin.map((n) => n.toFixed(1)).join(' / '),
    Number.isNaN(r.dbMsPerSync) ? 'n/a' : r.dbMsPerSync.toFixed(1),
    Number.isNaN(r.notifiesPerSecond) ? 'n/a' : r.notifiesPerSecond.toFixed(1),
    `${r.callP50.toFixed(0)} / ${r.callP99.toFixed(0)}`,
    `${r.rssMiB.toFixed(0)} / ${r.heapMiB.toFixed(0)}`,
    r.signInSeconds.toFixed(0),
    r.unread ? `${r.unread} still unread after ${r.everyWarReadSeconds.toFixed(0)}` : r.everyWarReadSeconds.toFixed(1),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => '| ' + cells.map((c, i) => c.padEnd(widths[i])).join(' | ') + ' |';
  return [line(head), '|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|', ...body.map(line)].join('\n');
}
