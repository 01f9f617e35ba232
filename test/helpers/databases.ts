import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Database } from '../../src/db/database.js';
import { openPgDatabase } from '../../src/db/pg-database.js';
import { openPgliteDatabase } from '../../src/db/pglite-database.js';
import { migrate } from '../../src/db/migrate.js';

/** The PostgreSQL server tests use; its `test` database only serves to create one database per test file. */
export const PG_ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

let reachable: Promise<boolean> | undefined;

/** Is the real server there? Under CI it must be: a missing server fails loudly instead of skipping. */
export function postgresReachable(): Promise<boolean> {
  reachable ??= (async () => {
    const c = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 3000 });
    try {
      await c.connect();
      await c.end();
      return true;
    } catch (e) {
      if (process.env.CI) throw new Error(`CI=true but PostgreSQL at ${PG_ADMIN_URL} is unreachable: ${String(e)}`, { cause: e });
      return false;
    }
  })();
  return reachable;
}

/** A fresh, empty PostgreSQL database of its own; `drop` removes it. */
export async function createPgDatabase(adminUrl = PG_ADMIN_URL): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `torncat_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = '/' + name;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

export interface Backend {
  name: 'postgres' | 'pglite';
  /** A new empty database (migrated unless `migrated: false`), and its URL for a server to open. */
  open(options?: { migrated?: boolean }): Promise<{ db: Database; url: string; close(): Promise<void> }>;
}

/**
 * The back-ends a suite runs on: PGlite always, real PostgreSQL when reachable (always under CI).
 * PGlite "URLs" are memory:// and so cannot be shared by two servers; suites that need that use postgres only.
 */
export async function backends(): Promise<Backend[]> {
  const list: Backend[] = [
    {
      name: 'pglite',
      async open(options) {
        const db = await openPgliteDatabase(undefined);
        if (options?.migrated !== false) await migrate(db);
        return { db, url: 'memory://', close: () => db.close() };
      },
    },
  ];
  if (await postgresReachable()) {
    list.unshift({
      name: 'postgres',
      async open(options) {
        const created = await createPgDatabase();
        const db = await openPgDatabase(created.url);
        if (options?.migrated !== false) await migrate(db);
        return {
          db,
          url: created.url,
          async close() {
            await db.close();
            await created.drop();
          },
        };
      },
    });
  }
  return list;
}

/**
 * The back-ends that can hold two connections or two server nodes on one database: real PostgreSQL
 * only (PGlite lives in one process's memory). Under CI=true `backends()` already fails when the
 * server is missing, so these suites never vanish there; elsewhere the caller reports a skip.
 */
export async function sharedBackends(): Promise<Backend[]> {
  return (await backends()).filter((b) => b.name === 'postgres');
}
