// A throw-away PostgreSQL database for a benchmark run, so PGlite and a real server compare side by
// side. BENCH_DATABASE_URL names the server's admin database (default: the local one, if it answers).

import pg from 'pg';
import { createPgDatabase } from '../test/helpers/databases.js';

export async function benchPostgres(): Promise<{ url: string; drop(): Promise<void> } | null> {
  const admin = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const probe = new pg.Client({ connectionString: admin, connectionTimeoutMillis: 3000 });
  try {
    await probe.connect();
    await probe.end();
  } catch {
    return null;
  }
  return createPgDatabase(admin);
}
