import pg from 'pg';
import { retryTransient } from './retry.js';
import { databaseUnavailable, isDatabaseUnavailable } from './unavailable.js';
import type { Database, Isolation, Listener, ListenHandlers, LockSession, PoolUse, Queryable, QueryResult } from './database.js';

// bigint (int8) columns hold event sequence numbers and counts that stay far below 2^53: read them as numbers.
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === 20 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/** Longest a close may wait for the server to acknowledge it: a server behind a dead network never will. */
const END_TIMEOUT_MS = 2000;

/**
 * A lost connection is the same failure whichever query met it: callers (and the HTTP answer,
 * `503 database_unavailable`) get one typed error, with the driver's own as its cause.
 */
function rethrow(e: unknown): never {
  throw isDatabaseUnavailable(e) ? databaseUnavailable(e) : e;
}

function wrap(client: { query: pg.Pool['query'] }): Queryable {
  return {
    async query<T>(sql: string, params?: readonly unknown[]): Promise<QueryResult<T>> {
      const r = await client.query(sql, params as unknown[] | undefined).catch(rethrow);
      return { rows: r.rows as T[], rowCount: r.rowCount ?? 0 };
    },
    async exec(sql: string) {
      // Without parameters pg uses the simple query protocol, which accepts several statements.
      await client.query(sql).catch(rethrow);
    },
  };
}

/** Ends a client, destroying its socket if the server does not answer the goodbye in time. */
async function endClient(client: pg.Client): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      client.connection.stream.destroy();
      resolve();
    }, END_TIMEOUT_MS);
    timer.unref();
  });
  await Promise.race([client.end().catch(() => {}), late]);
  clearTimeout(timer);
}

export interface PgDatabaseOptions {
  /** Pool size. @default 10 */
  max?: number;
  /** An idle pooled connection died (server restart, terminated backend, network cut). */
  onPoolError?: (e: Error) => void;
  /** Longest to wait for a new connection (or a free pooled one). @default 10000 */
  connectionTimeoutMillis?: number;
}

export async function openPgDatabase(url: string, options: PgDatabaseOptions = {}): Promise<Database> {
  const connectionTimeoutMillis = options.connectionTimeoutMillis ?? 10_000;
  // Keep-alive probes notice, within the kernel's probe time, a server that vanished without closing
  // the socket (a network cut), where a quiet connection such as LISTEN would otherwise wait forever.
  const connection = { connectionString: url, types, connectionTimeoutMillis, keepAlive: true, keepAliveInitialDelayMillis: 10_000 };
  const max = options.max ?? 10;
  const pool = new pg.Pool({ ...connection, max });
  // pg-pool listens for errors of an idle client only, and re-emits them here.
  pool.on('error', (e) => options.onPoolError?.(e));
  // A checked-out client has no listener from pg-pool: a backend terminated between two queries of a
  // transaction (any restart) emitted an unhandled 'error' and ended the process. This listener
  // stays for the client's whole life; what the error means reaches the holder as a failed query,
  // and pg-pool discards the client when it comes back broken.
  pool.on('connect', (client) => client.on('error', () => {}));
  const dedicated = new Set<Dedicated>();
  const q = wrap(pool);
  let closing: Promise<void> | undefined;

  /**
   * A connection of its own, outside the pool, for what must stay on one session (LISTEN, advisory
   * locks). `onLost` is called once if the connection dies after it was handed out (a connection
   * that fails to open rejects instead); `close` ends it without calling it.
   */
  async function openDedicated(
    label: string,
    onLost: (e: Error) => void,
    setup?: (client: pg.Client) => Promise<void>,
  ): Promise<Dedicated> {
    // Named, so an operator (or a test) can tell them apart in pg_stat_activity.
    const client = new pg.Client({ ...connection, application_name: `torncat ${label}` });
    let handedOut = false;
    const d: Dedicated = {
      client,
      lost: false,
      async close() {
        if (d.lost) return;
        d.lost = true;
        dedicated.delete(d);
        await endClient(client);
      },
    };
    const fail = (e: Error) => {
      if (d.lost) return;
      void d.close();
      if (handedOut) onLost(e);
    };
    // Both stay attached after close: pg may still emit 'error' on a client that is ending.
    client.on('error', fail);
    client.on('end', () => fail(new Error(`${label} connection ended`)));
    try {
      await client.connect();
      await setup?.(client);
      await client.query('select 1');
    } catch (e) {
      await d.close();
      rethrow(e);
    }
    // Lost between the last query and here (one tick): report it as a failed open.
    if (d.lost) throw databaseUnavailable(new Error(`${label} connection ended while opening`));
    dedicated.add(d);
    handedOut = true;
    return d;
  }

  async function runTransaction<T>(fn: (tx: Queryable) => Promise<T>, isolation: Isolation | undefined): Promise<T> {
    const client = await pool.connect().catch(rethrow);
    const tx = wrap(client);
    let broken = false;
    try {
      await tx.query(isolationBegin(isolation));
      const result = await fn(tx);
      await tx.query('COMMIT');
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
    poolUse(): PoolUse {
      // pg-pool queues even a request it can serve at once and hands it an idle client on the next
      // tick: such a request is not waiting for a connection, and that client is no longer free.
      const handedOver = Math.min(pool.waitingCount, pool.idleCount);
      return {
        total: pool.totalCount,
        idle: pool.idleCount - handedOver,
        waiting: pool.waitingCount - handedOver,
        max,
        dedicated: dedicated.size,
      };
    },
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
      return { close: () => d.close() };
    },

    async lockSession(onLost): Promise<LockSession> {
      const d = await openDedicated('lock', onLost);
      const { client } = d;
      return {
        async tryLock(space, id) {
          const r = await client
            .query<{ ok: boolean }>(
              // Session locks stack: take it only when this session does not already hold it.
              `select exists (select 1 from pg_locks where locktype = 'advisory' and pid = pg_backend_pid()
                               and classid = $1::int::oid and objid = $2::int::oid and objsubid = 2 and granted)
                      or pg_try_advisory_lock($1, $2) as ok`,
              [space, id],
            )
            .catch(rethrow);
          return r.rows[0].ok;
        },
        async unlock(space, id) {
          await client.query('select pg_advisory_unlock($1, $2)', [space, id]).catch(rethrow);
        },
        async ping() {
          if (d.lost) throw databaseUnavailable(new Error('lock connection lost'));
          await client.query('select 1').catch(rethrow);
        },
        close: () => d.close(),
      };
    },
    close() {
      // pg-pool refuses a second end(): shutdown paths may both close.
      closing ??= (async () => {
        await Promise.all([...dedicated].map((d) => d.close()));
        await pool.end();
      })();
      return closing;
    },
  };
  return db;
}

interface Dedicated {
  client: pg.Client;
  lost: boolean;
  close(): Promise<void>;
}

function isolationBegin(isolation: Isolation | undefined): string {
  return isolation === 'repeatable read' ? 'BEGIN ISOLATION LEVEL REPEATABLE READ' : 'BEGIN';
}
