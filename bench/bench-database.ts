// A throw-away PostgreSQL database for a benchmark run, so PGlite and a real server compare side by
// side. BENCH_DATABASE_URL names the server's admin database (default: the local one, if it answers).

import { randomBytes } from 'node:crypto';
import pg from 'pg';

export async function benchPostgres(): Promise<{ url: string; drop(): Promise<void> } | null> {
  const admin = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const client = new pg.Client({ connectionString: admin, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
  } catch {
    return null;
  }
  const name = `torncat_bench_${randomBytes(4).toString('hex')}`;
  await client.query(`create database ${name}`);
  await client.end();
  const url = new URL(admin);
  url.pathname = '/' + name;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}
