// `npm run bench -- address-budget`: what the egress address's shared Torn budget costs a Torn request
// (src/sync/address-budget.ts: one UPDATE that prunes, counts and appends under the row's lock), with
// the window holding few and many uses, one node alone and two nodes spending at once, against a
// bare round trip and a one-row update with its commit on the same database.
import type { Database } from '../src/db/database.js';
import { migrate } from '../src/db/migrate.js';
import { openPgDatabase } from '../src/db/pg-database.js';
import { openPgliteDatabase } from '../src/db/pglite-database.js';
import { AddressBudget } from '../src/sync/address-budget.js';
import { benchPostgres } from './bench-database.js';

export interface AddressBudgetRow {
  database: 'postgres' | 'pglite';
  /** Uses already in the window when measuring. */
  uses: number;
  /** Nodes spending at once (each its own connections on PostgreSQL). */
  nodes: number;
  /** Wall time per spend, as one node waits for it. */
  msPerSpend: number;
  /** The same database's `select 1` and a one-row update with its commit, for scale. */
  msRoundTrip: number;
  msUpdateCommit: number;
}

async function time(n: number, fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  for (let i = 0; i < n; i++) await fn();
  return (performance.now() - t) / n;
}

async function measure(
  name: AddressBudgetRow['database'],
  open: () => Promise<Database>,
  o: { spends: number },
): Promise<AddressBudgetRow[]> {
  const rows: AddressBudgetRow[] = [];
  const dbs = [await open(), name === 'postgres' ? await open() : undefined];
  const [db] = dbs as [Database];
  try {
    await migrate(db);
    await db.query(`insert into torn_address_budget (address, kind) values ('bench-update', 'requests') on conflict do nothing`);
    const msRoundTrip = await time(o.spends, () => db.query('select 1'));
    const msUpdateCommit = await time(o.spends, () =>
      db.query(`update torn_address_budget set last_grant = 'x' where address = 'bench-update' and kind = 'requests'`),
    );
    for (const uses of [10, 600]) {
      for (const nodes of name === 'postgres' ? [1, 2] : [1]) {
        const address = `bench-${uses}-${nodes}`;
        const budgets = dbs.slice(0, nodes).map((d) => new AddressBudget({ db: d!, address, perWindow: 1000 }));
        for (let i = 0; i < uses; i++) await budgets[0].spend();
        // Each node spends as fast as it can; the window grows by what is measured, so start each run from `uses`.
        const perNode = Math.max(1, Math.floor(o.spends / nodes));
        const times = await Promise.all(budgets.map((b) => time(perNode, () => b.spend())));
        rows.push({
          database: name,
          uses,
          nodes,
          msPerSpend: times.reduce((a, b) => a + b, 0) / times.length,
          msRoundTrip,
          msUpdateCommit,
        });
      }
    }
  } finally {
    for (const d of dbs) await d?.close();
  }
  return rows;
}

export async function benchAddressBudget(o: { spends?: number } = {}): Promise<AddressBudgetRow[]> {
  const spends = o.spends ?? 300;
  const rows = await measure('pglite', () => openPgliteDatabase(undefined), { spends });
  const pg = await benchPostgres();
  if (pg) {
    try {
      rows.push(...(await measure('postgres', () => openPgDatabase(pg.url), { spends })));
    } finally {
      await pg.drop();
    }
  }
  return rows;
}

export function formatAddressBudget(rows: AddressBudgetRow[]): string {
  const head = '| database | uses in the window | nodes spending | ms a spend | ms `select 1` | ms one-row update + commit |';
  return [
    head,
    '|---|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.database} | ${r.uses} | ${r.nodes} | ${r.msPerSpend.toFixed(2)} | ${r.msRoundTrip.toFixed(2)} | ${r.msUpdateCommit.toFixed(2)} |`,
    ),
  ].join('\n');
}
