import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * A PostgreSQL server of the test's own, in a temporary directory on a free loopback port, that it
 * may stop, crash and restart at will: the shared server at 127.0.0.1:5432 serves other suites
 * running at the same time and must never be restarted by one of them.
 */
export interface PrivatePostgres {
  port: number;
  /** Superuser URL of its `postgres` database (trust auth). */
  adminUrl: string;
  /** `pg_ctl stop`: `fast` ends sessions with 57P01 (what `pg_ctlcluster … restart` does); `immediate` is a crash. */
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
  start(): Promise<void>;
  restart(mode?: 'fast' | 'immediate'): Promise<void>;
  /** Stops it and deletes its directory. */
  close(): Promise<void>;
}

/** Where initdb and pg_ctl are: $PG_BIN, else the newest Debian/Ubuntu install. */
function findBinaries(): string | undefined {
  const candidates = [process.env.PG_BIN];
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    const versions = readdirSync(debian)
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((v) => join(debian, v, 'bin')));
  }
  return candidates.find((dir) => dir && existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl')));
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * Why a private server cannot run here (no binaries, no `postgres` user to run them as root), or
 * undefined when it can. Under CI=true a reason is a failure, not a skip.
 */
export async function privatePostgresUnavailable(): Promise<string | undefined> {
  const reason = await (async () => {
    if (!findBinaries()) return 'no PostgreSQL server binaries (initdb, pg_ctl) under /usr/lib/postgresql/*/bin or $PG_BIN';
    if (process.getuid?.() === 0) {
      // initdb refuses to run as root: it runs as the `postgres` user.
      try {
        await run('id', ['-u', 'postgres']);
        await run('runuser', ['--help']);
      } catch {
        return 'running as root with no `postgres` user (or no runuser) to run initdb as';
      }
    }
    return undefined;
  })();
  if (reason && process.env.CI) throw new Error(`CI=true but a private PostgreSQL cannot run: ${reason}`);
  return reason;
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = findBinaries();
  if (!bin) throw new Error('no PostgreSQL binaries (see privatePostgresUnavailable)');
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'torncat-pg-'));
  if (asRoot) {
    const uid = Number((await run('id', ['-u', 'postgres'])).stdout.trim());
    const gid = Number((await run('id', ['-g', 'postgres'])).stdout.trim());
    chownSync(dir, uid, gid);
  }
  const pg = (tool: string, args: string[]) =>
    asRoot ? run('runuser', ['-u', 'postgres', '--', join(bin, tool), ...args]) : run(join(bin, tool), args);
  const data = join(dir, 'data');
  const port = await freePort();
  // Durability is not under test (the machine does not crash, only the server): fsync off keeps a
  // restart well under a second.
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off`;
  const ctl = (args: string[]) => pg('pg_ctl', ['-D', data, '-w', '-t', '30', '-l', join(dir, 'log'), ...args]);

  await pg('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
  await ctl(['-o', options, 'start']);
  let running = true;
  return {
    port,
    adminUrl: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async stop(mode = 'fast') {
      await ctl(['-m', mode, 'stop']);
      running = false;
    },
    async start() {
      await ctl(['-o', options, 'start']);
      running = true;
    },
    async restart(mode = 'fast') {
      await ctl(['-m', mode, '-o', options, 'restart']);
      running = true;
    },
    async close() {
      if (running) await ctl(['-m', 'immediate', 'stop']).catch(() => {});
      running = false;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
