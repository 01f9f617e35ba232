import pg from 'pg';
import { retryTransient } from './retry.js';
import type { Database, Isolation, Listener, ListenHandlers, LockSession, Queryable, QueryResult } from './database.js';

// bigint (int8) columns hold event sequence numbers and counts that stay far below 2^53: read them as numbers.
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === 20 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

function wrap(client: { query: pg.Pool['query'] }): Queryable {
  return {
    async query<T>(sql: string, params?: readonly unknown[]): Promise<QueryResult<T>> {
      const r = await client.query(sql, params as unknown[] | undefined);
      return { rows: r.rows as T[], rowCount: r.rowCount ?? 0 };
    },
    async exec(sql: string) {
      // Without parameters pg uses the simple query protocol, which accepts several statements.
      await client.query(sql);
    },
  };
}

export async function openPgDatabase(url: string, options: { max?: number; onPoolError?: (e: Error) => void } = {}): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 10, types, connectionTimeoutMillis: 10_000 });
  // An idle client that dies (server restart, terminated backend) must not crash the process.
  pool.on('error', (e) => options.onPoolError?.(e));
  const dedicated = new Set<Dedicated>();
  const listenerPids = new Map<Dedicated, number>();
  const q = wrap(pool);

  /**
   * A connection of its own, outside the pool, for what must stay on one session (LISTEN, advisory
   * locks). `onLost` is called once if the connection dies; `close` ends it without calling it.
   */
  async function openDedicated(
    label: string,
    onLost: (e: Error) => void,
    setup?: (client: pg.Client) => Promise<void>,
  ): Promise<Dedicated> {
    const client = new pg.Client({ connectionString: url, types, connectionTimeoutMillis: 10_000 });
    const d: Dedicated = {
      client,
      pid: 0,
      lost: false,
      async close() {
        if (d.lost) return;
        d.lost = true;
        dedicated.delete(d);
        listenerPids.delete(d);
        await client.end().catch(() => {});
      },
    };
    const fail = (e: Error) => {
      if (d.lost) return;
      void d.close();
      onLost(e);
    };
    client.on('error', fail);
    client.on('end', () => fail(new Error(`${label} connection ended`)));
    await client.connect();
    try {
      await setup?.(client);
      d.pid = (await client.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0].pid;
    } catch (e) {
      await d.close();
      throw e;
    }
    dedicated.add(d);
    return d;
  }

  async function runTransaction<T>(fn: (tx: Queryable) => Promise<T>, isolation: Isolation | undefined): Promise<T> {
    const client = await pool.connect();
    let broken = false;
    try {
      await client.query(isolationBegin(isolation));
      const result = await fn(wrap(client));
      await client.query('COMMIT');
      return result;
    } catch (e) {
      try {
        await client.query('ROLLBACK');
      } catch {
        broken = true;
      }
      throw e;
    } finally {
      client.release(broken);
    }
  }

  const db: Database = {
    kind: 'postgres',
    query: q.query,
    exec: q.exec,
    transaction(fn, opts) {
      return retryTransient(() => runTransaction(fn, opts?.isolation));
    },

    async listen(channel, handlers: ListenHandlers): Promise<Listener> {
      const d = await openDedicated('LISTEN', handlers.onError, async (client) => {
        client.on('notification', (n) => {
          if (n.channel === channel) handlers.onNotify(n.payload ?? '');
        });
        await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      });
      listenerPids.set(d, d.pid);
      return {
        close: () => {
          listenerPids.delete(d);
          return d.close();
        },
      };
    },
    listenerPids: () => [...listenerPids.values()],

    async lockSession(onLost): Promise<LockSession> {
      const d = await openDedicated('lock', onLost);
      const { client } = d;
      return {
        pid: d.pid,
        async tryLock(space, id) {
          const r = await client.query<{ ok: boolean }>(
            // Session locks stack: take it only when this session does not already hold it.
            `select exists (select 1 from pg_locks where locktype = 'advisory' and pid = pg_backend_pid()
                             and classid = $1::int::oid and objid = $2::int::oid and objsubid = 2 and granted)
                    or pg_try_advisory_lock($1, $2) as ok`,
            [space, id],
          );
          return r.rows[0].ok;
        },
        async unlock(space, id) {
          await client.query('select pg_advisory_unlock($1, $2)', [space, id]);
        },
        async ping() {
          if (d.lost) throw new Error('lock connection lost');
          await client.query('select 1');
        },
        close: () => d.close(),
      };
    },
    async close() {
      for (const d of [...dedicated]) await d.close();
      await pool.end();
    },
  };
  return db;
}

interface Dedicated {
  client: pg.Client;
  pid: number;
  lost: boolean;
  close(): Promise<void>;
}

function isolationBegin(isolation: Isolation | undefined): string {
  return isolation === 'repeatable read' ? 'BEGIN ISOLATION LEVEL REPEATABLE READ' : 'BEGIN';
}
