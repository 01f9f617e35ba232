import { PGlite, types as pgliteTypes } from '@electric-sql/pglite';
import type { Database, Listener, Queryable, QueryResult } from './database.js';
import { databaseUnavailable, isDatabaseUnavailable } from './unavailable.js';

type Runner = { query: PGlite['query']; exec: PGlite['exec'] };

/** A closed PGlite (the node is stopping) fails like an unreachable server, not like a bug. */
function rethrow(e: unknown): never {
  throw isDatabaseUnavailable(e) ? databaseUnavailable(e) : e;
}

function wrap(runner: Runner): Queryable {
  return {
    async query<T>(sql: string, params?: readonly unknown[]): Promise<QueryResult<T>> {
      const r = await runner.query<T>(sql, params as unknown[] | undefined).catch(rethrow);
      return { rows: r.rows, rowCount: r.rows.length || (r.affectedRows ?? 0) };
    },
    async exec(sql: string) {
      await runner.exec(sql).catch(rethrow);
    },
  };
}

/**
 * The embedded database: a real PostgreSQL compiled to WebAssembly, one connection in-process.
 * `dataDir` undefined keeps it in memory.
 */
export async function openPgliteDatabase(dataDir: string | undefined): Promise<Database> {
  // Same int8 reading as the pg driver, so both back-ends hand the app the same values.
  const pglite = await PGlite.create(dataDir, { parsers: { [pgliteTypes.INT8]: (v: string) => Number(v) } });
  const q = wrap(pglite);
  // Shutdown paths may both close it; the second must not fail.
  let closing: Promise<void> | undefined;
  // Its one connection runs one operation at a time: the others queue behind it (its "pool" use).
  let inFlight = 0;
  const counted = <T>(run: () => Promise<T>): Promise<T> => {
    inFlight++;
    return run().finally(() => inFlight--);
  };
  return {
    kind: 'pglite',
    poolUse: () => ({ total: 1, idle: inFlight ? 0 : 1, waiting: Math.max(0, inFlight - 1), max: 1, dedicated: 0 }),
    query: <T>(sql: string, params?: readonly unknown[]) => counted(() => q.query<T>(sql, params)),
    exec: (sql) => counted(() => q.exec(sql)),
    async transaction(fn, opts) {
      // PGlite runs one transaction at a time, so it is already as isolated as it can be;
      // the isolation option matters only for a real server.
      return counted(() =>
        pglite.transaction(async (tx) => {
          if (opts?.isolation === 'repeatable read') await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
          return fn(wrap(tx));
        }),
      ).catch(rethrow);
    },
    async listen(channel, handlers): Promise<Listener> {
      const unlisten = await pglite.listen(channel, (payload) => handlers.onNotify(payload)).catch(rethrow);
      return { close: () => unlisten() };
    },
    // One process owns an embedded database: it is the only possible poller, so every lock is its.
    async lockSession() {
      return { tryLock: async () => true, unlock: async () => {}, ping: async () => {}, close: async () => {} };
    },
    close: () => (closing ??= pglite.close()),
  };
}
