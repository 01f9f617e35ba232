import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import pg from 'pg';
import pino from 'pino';
import { PG_ADMIN_URL, createPgDatabase, postgresReachable } from '../helpers/databases.js';
import { dedicatedPids } from '../helpers/backend-pids.js';
import { openPgDatabase } from '../../src/db/pg-database.js';
import { openPgliteDatabase } from '../../src/db/pglite-database.js';
import { isDatabaseUnavailable } from '../../src/db/unavailable.js';
import { errorResponse } from '../../src/server/error-response.js';
import { AppError } from '../../src/errors.js';
import type { Database } from '../../src/db/database.js';
import { sleep } from '../helpers/calls.js';

/** A server socket that accepts and never answers: a database behind a network that swallows packets. */
async function blackHole(): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((s) => {
    sockets.add(s);
    s.on('error', () => {});
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  return {
    url: `postgres://postgres@127.0.0.1:${port}/none`,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** A loopback port nothing listens on. */
async function refusedUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise<void>((r) => server.close(() => r()));
  return `postgres://postgres@127.0.0.1:${port}/none`;
}

function assertUnavailable(e: unknown): true {
  assert.ok(e instanceof AppError, `an AppError, got ${String(e)}`);
  assert.equal(e.code, 'database_unavailable');
  assert.equal(e.status, 503);
  return true;
}

/** Uncaught exceptions while `fn` runs: an unhandled 'error' event on a pg client lands here. */
async function uncaughtDuring(fn: () => Promise<void>): Promise<Error[]> {
  const seen: Error[] = [];
  const onUncaught = (e: Error) => seen.push(e);
  process.on('uncaughtException', onUncaught);
  try {
    await fn();
    // An 'error' event follows the socket's end by a tick or two.
    await sleep(200);
  } finally {
    process.off('uncaughtException', onUncaught);
  }
  return seen;
}

describe('what counts as the database being unavailable', () => {
  test('socket errors, connection SQLSTATEs and the driver’s own words do; a query’s error does not', () => {
    const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });
    assert.ok(isDatabaseUnavailable(withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')));
    assert.ok(isDatabaseUnavailable(withCode('read ECONNRESET', 'ECONNRESET')));
    assert.ok(isDatabaseUnavailable(withCode('terminating connection due to administrator command', '57P01')));
    assert.ok(isDatabaseUnavailable(withCode('the database system is starting up', '57P03')));
    assert.ok(isDatabaseUnavailable(withCode('connection failure', '08006')));
    assert.ok(isDatabaseUnavailable(new Error('Connection terminated unexpectedly')));
    assert.ok(isDatabaseUnavailable(new Error('timeout exceeded when trying to connect')));
    assert.ok(isDatabaseUnavailable(new AggregateError([withCode('x', 'ECONNREFUSED')], 'all addresses failed')));
    assert.ok(isDatabaseUnavailable(new Error('wrapped', { cause: withCode('x', 'ETIMEDOUT') })));
    assert.ok(isDatabaseUnavailable(new AppError('database_unavailable')));
    assert.ok(!isDatabaseUnavailable(withCode('duplicate key value violates unique constraint', '23505')));
    assert.ok(!isDatabaseUnavailable(withCode('could not serialize access', '40001')));
    assert.ok(!isDatabaseUnavailable(new Error('boom')));
    assert.ok(!isDatabaseUnavailable(new AppError('internal_error')));
  });

  test('the HTTP error handler answers a connection failure with 503 database_unavailable, but does not blame the database for a client that hung up', () => {
    const lines: { level: number }[] = [];
    const log = pino({ level: 'debug' }, { write: (s: string) => lines.push(JSON.parse(s)) });
    const lost = errorResponse(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }), log);
    assert.equal(lost.status, 503);
    assert.equal(lost.body.error.code, 'database_unavailable');
    assert.ok(lost.headers['Retry-After']);
    assert.equal(lines.length, 0, 'an outage is not logged per request');
    // What node:http says when the client of the request went away mid-body.
    const aborted = Object.assign(new Error('aborted'), { code: 'ECONNRESET' });
    assert.equal(errorResponse(aborted, log, { clientGone: true }).status, 500);
    assert.deepEqual(
      lines.map((l) => l.level),
      [20],
      'a client that hung up is a debug line',
    );
    assert.equal(errorResponse(new Error('a real bug'), log).status, 500);
    assert.equal(lines.at(-1)?.level, 50, 'a real bug is still an error');
  });
});

describe('pg without a server', () => {
  test('a query, a transaction, LISTEN and the lock connection reject with database_unavailable; nothing is reported lost that never opened', async () => {
    const db = await openPgDatabase(await refusedUrl(), { connectionTimeoutMillis: 1000 });
    const lost: Error[] = [];
    try {
      await assert.rejects(db.query('select 1'), assertUnavailable);
      await assert.rejects(
        db.transaction(async (tx) => tx.query('select 1')),
        assertUnavailable,
      );
      await assert.rejects(db.listen('c', { onNotify: () => {}, onError: (e) => lost.push(e) }), assertUnavailable);
      await assert.rejects(
        db.lockSession((e) => lost.push(e)),
        assertUnavailable,
      );
      await sleep(200);
      assert.deepEqual(lost, [], 'a connection that failed to open rejected; it is not also "lost"');
    } finally {
      await db.close();
    }
  });

  test('a server that never answers fails the connection after connectionTimeoutMillis as database_unavailable', async () => {
    const hole = await blackHole();
    const db = await openPgDatabase(hole.url, { connectionTimeoutMillis: 300 });
    try {
      const started = Date.now();
      await assert.rejects(db.query('select 1'), assertUnavailable);
      await assert.rejects(db.listen('c', { onNotify: () => {}, onError: () => {} }), assertUnavailable);
      assert.ok(Date.now() - started < 3000, 'within the timeouts, not TCP’s');
    } finally {
      await db.close();
      await hole.close();
    }
  });

  test('close() may be called twice', async () => {
    const db = await openPgDatabase(await refusedUrl());
    await db.close();
    await db.close();
  });
});

describe('PGlite once closed', () => {
  test('fails like an unreachable database, not like a bug', async () => {
    const db = await openPgliteDatabase(undefined);
    await db.close();
    await assert.rejects(db.query('select 1'), assertUnavailable);
    await assert.rejects(
      db.transaction(async (tx) => tx.query('select 1')),
      assertUnavailable,
    );
    await db.close();
  });
});

const reachable = await postgresReachable();
describe(
  'pg connections that die while in use',
  { skip: reachable ? false : `no PostgreSQL at ${PG_ADMIN_URL} (CI=true makes this a failure)` },
  () => {
    let database: { url: string; drop(): Promise<void> };
    let db: Database;
    let admin: pg.Client;

    before(async () => {
      database = await createPgDatabase();
      db = await openPgDatabase(database.url);
      admin = new pg.Client({ connectionString: database.url });
      await admin.connect();
    });
    after(async () => {
      await admin?.end();
      await db?.close();
      await database?.drop();
    });

    const terminate = async (pid: number) => {
      const r = await admin.query('select pg_terminate_backend($1) as ok', [pid]);
      assert.equal(r.rows[0].ok, true);
    };

    test('a backend terminated between two queries of a transaction fails that transaction with database_unavailable, and the process lives', async () => {
      // The crash: pg-pool removes its error listener from a checked-out client, so the
      // 'error' of a backend killed while the transaction waited had no listener.
      const uncaught = await uncaughtDuring(async () => {
        let pid = 0;
        const tx = db.transaction(async (t) => {
          pid = (await t.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0].pid;
          await sleep(300);
          await t.query('select 1');
        });
        await sleep(100);
        await terminate(pid);
        await assert.rejects(tx, assertUnavailable);
      });
      assert.deepEqual(uncaught.map(String), []);
      // The broken client left the pool: the next transaction gets a working one.
      assert.equal(await db.transaction(async (t) => (await t.query<{ n: number }>('select 1 as n')).rows[0].n), 1);
    });

    test('a backend terminated during a query fails it with database_unavailable, and the pool goes on', async () => {
      // A backend the previous test killed may still sit idle in the pool until its next use: flush it,
      // so the query below fails because of this test's termination and no other.
      for (let i = 0; i < 3; i++) await db.query('select 1').catch(() => {});
      const uncaught = await uncaughtDuring(async () => {
        const pidOf = db.query<{ pid: number }>('select pg_backend_pid() as pid, pg_sleep(1)');
        // Rejected before assert.rejects is attached (it is, by design): not an unhandled rejection.
        pidOf.catch(() => {});
        await sleep(150);
        const r = await admin.query<{ pid: number }>(
          `select pid from pg_stat_activity where datname = current_database() and query like '%pg_sleep(1)%' and pid <> pg_backend_pid()`,
        );
        assert.equal(r.rows.length, 1);
        await terminate(r.rows[0].pid);
        await assert.rejects(pidOf, assertUnavailable);
      });
      assert.deepEqual(uncaught.map(String), []);
      assert.equal((await db.query<{ n: number }>('select 1 as n')).rows[0].n, 1);
    });

    test('a lost LISTEN or lock connection is reported once, and one closed by us is never reported', async () => {
      const lost: string[] = [];
      const uncaught = await uncaughtDuring(async () => {
        await db.listen('c', { onNotify: () => {}, onError: () => lost.push('listen') });
        const lock = await db.lockSession(() => lost.push('lock'));
        const [listenPid] = await dedicatedPids(db, 'LISTEN');
        const [lockPid] = await dedicatedPids(db, 'lock');
        await terminate(listenPid);
        await terminate(lockPid);
        await sleep(200);
        await assert.rejects(lock.ping(), assertUnavailable);
        await assert.rejects(lock.tryLock(1, 1), assertUnavailable);
        await lock.close();

        const quiet = await db.listen('c', { onNotify: () => {}, onError: () => lost.push('closed listen') });
        await quiet.close();
        const quietLock = await db.lockSession(() => lost.push('closed lock'));
        await quietLock.close();
      });
      assert.deepEqual(uncaught.map(String), []);
      assert.deepEqual(lost.sort(), ['listen', 'lock']);
    });
  },
);
