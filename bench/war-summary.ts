// One faction's summary refresh, as its sync runs it, with 1 and with 200 wars in the database:
// per war (what TornCat does) next to refreshing the whole materialized view (what it did before).

import type { Database } from '../src/db/database.js';
import { migrate } from '../src/db/migrate.js';
import { openPgDatabase } from '../src/db/pg-database.js';
import { openPgliteDatabase } from '../src/db/pglite-database.js';
import { refreshSummaries } from '../src/war/summary.js';
import { benchPostgres } from './bench-database.js';
import { seedWars } from './many-wars.js';

export interface SummaryRow {
  database: string;
  wars: number;
  perWarMs: number;
  wholeViewMs: number;
}

const ROUNDS = 40;

/** Median ms of `ROUNDS` syncs of the first faction, each after one of its targets changed. */
async function timeSyncs(db: Database, faction: number, wholeView: boolean): Promise<number> {
  const times: number[] = [];
  // The first rounds warm the plan caches and the connection: not counted.
  for (let i = -5; i < ROUNDS; i++) {
    await db.query(`update targets set level = level + 1 where faction_id = $1 and war_id = $1 and player_id = $2`, [
      faction,
      (faction + 1) * 100 + 1 + (i % 25),
    ]);
    await db.query(`update targets set status_state = case when status_state = 'Okay' then 'Jail' else 'Okay' end
                     where faction_id = $1 and war_id = $1 and player_id = $2`, [faction, (faction + 1) * 100 + 2]);
    const started = performance.now();
    await db.transaction(async (tx) => {
      if (wholeView) await tx.query('refresh materialized view concurrently war_summary');
      await refreshSummaries(tx, faction, [faction]);
    });
    if (i >= 0) times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

export async function benchWarSummary(o: { wars?: number } = {}): Promise<SummaryRow[]> {
  const wars = o.wars ?? 200;
  const rows: SummaryRow[] = [];
  const pg = await benchPostgres();
  try {
    const kinds: { name: string; open(): Promise<Database> }[] = [{ name: 'pglite', open: () => openPgliteDatabase(undefined) }];
    if (pg) kinds.unshift({ name: 'postgres', open: () => openPgDatabase(pg.url) });
    for (const kind of kinds) {
      const db = await kind.open();
      try {
        await migrate(db);
        const [faction] = await seedWars(db, 1);
        rows.push({ database: kind.name, wars: 1, perWarMs: await timeSyncs(db, faction, false), wholeViewMs: await timeSyncs(db, faction, true) });
        await seedWars(db, wars - 1, 25, faction + 2);
        rows.push({ database: kind.name, wars, perWarMs: await timeSyncs(db, faction, false), wholeViewMs: await timeSyncs(db, faction, true) });
      } finally {
        await db.close();
      }
    }
  } finally {
    await pg?.drop();
  }
  return rows;
}

export function formatWarSummary(rows: SummaryRow[]): string {
  const lines = ['| database | wars in the database | per war (ms, median) | whole view refreshed (ms, median) | ratio |', '|---|---|---|---|---|'];
  for (const r of rows) {
    lines.push(`| ${r.database} | ${r.wars} | ${r.perWarMs.toFixed(2)} | ${r.wholeViewMs.toFixed(2)} | ${(r.wholeViewMs / r.perWarMs).toFixed(1)}× |`);
  }
  return lines.join('\n');
}
