import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join, resolve } from 'node:path';

/** Everything TornCat reads from the environment, parsed once at start and frozen. */
export interface Config {
  /** @default 8080 */
  readonly port: number;
  /** @default '0.0.0.0' */
  readonly host: string;
  /** Unset: the embedded database under dataDir (see embeddedDatabase); `memory://`: PGlite in memory; `postgres://…`: that server. */
  readonly databaseUrl: string | undefined;
  /** @default './data' */
  readonly dataDir: string;
  /**
   * `TORNCAT_EMBEDDED`, without DATABASE_URL: `postgres` (a PostgreSQL server TornCat runs) or `pglite`.
   * @default unset: postgres, except a data directory that already holds a PGlite database keeps it
   */
  readonly embeddedDatabase: 'postgres' | 'pglite' | undefined;
  /** @default 'https://api.torn.com' */
  readonly tornApiUrl: string;
  /** Encrypts stored API keys. Generated into dataDir when unset on the embedded database. */
  readonly secret: string;
  /** @default ['https://www.torn.com'] */
  readonly allowedOrigins: readonly string[];
  /**
   * How often the polling userscript (and the polling rung of any client) reads the snapshot during
   * a war: `USERSCRIPT_POLL_INTERVAL_MS`, or the older `SYNC_INTERVAL_MS` (with a warning). Not the
   * server's Torn sync. @default 5000
   */
  readonly userscriptPollIntervalMs: number;
  /** @default 60000 */
  readonly warCheckIntervalMs: number;
  /** @default 5000 */
  readonly targetStatusRefreshIntervalMs: number;
  /** @default 30000 */
  readonly ownFactionRefreshIntervalMs: number;
  /** @default 900000 (15 minutes) */
  readonly callTtlMs: number;
  /** @default 3 */
  readonly maxActiveCallsPerMember: number;
  /**
   * Torn requests one member may serve in any 60 s, across all their keys, as Torn counts (100 a
   * minute per player; members use their keys in other tools too). `TORN_PLAYER_BUDGET_PER_MIN`,
   * or the older `TORN_KEY_BUDGET_PER_MIN` when that is all that is set. @default 20
   */
  readonly tornPlayerBudgetPerMin: number;
  /**
   * A label naming the address this node's Torn requests leave from (`TORN_EGRESS_ADDRESS`): every
   * node with the same label shares one budget. @default 'default' (every node shares one address)
   */
  readonly tornEgressAddress: string;
  /**
   * Torn requests the egress address may send in any 60 s, every faction of every node sending from it
   * together (Torn allows 1,000 per IP): `TORN_ADDRESS_BUDGET_PER_MIN`, or its old name
   * `TORN_NODE_BUDGET_PER_MIN` (with a warning). @default 600
   */
  readonly tornAddressBudgetPerMin: number;
  /**
   * The local address Torn requests are sent from (`TORN_LOCAL_ADDRESS`), on a machine with several:
   * the socket is bound to it. @default unset (the system's choice)
   */
  readonly tornLocalAddress: string | undefined;
  /**
   * The window of every Torn budget (`TORN_BUDGET_WINDOW_MS`): Torn's is a minute; tests and benchmarks
   * shrink it with the intervals. @default 60000
   */
  readonly tornBudgetWindowMs: number;
  /** Sliding session lifetime. @default 30 days */
  readonly sessionTtlMs: number;
  /** @default 'info' */
  readonly logLevel: string;
  /** `LOG_FORMAT`: `json` or `pretty`. @default unset (pretty in a development terminal, else JSON) */
  readonly logFormat: 'json' | 'pretty' | undefined;
  /**
   * The URL members reach this server at (`TORNCAT_PUBLIC_URL`), written into the userscripts and links.
   * Unset: taken from the request (forwarded headers only when trustProxy).
   */
  readonly publicUrl: string | undefined;
  /** Believe the proxy's `X-Forwarded-*` headers (its last value) for the client's address and the public URL. @default false */
  readonly trustProxy: boolean;
  /** Bearer token `GET /metrics` requires when set. @default unset (open) */
  readonly metricsToken: string | undefined;
  /** Sign-in attempts one IP address may make per minute. @default 10 */
  readonly signInLimitPerMin: number;
  /** A key Torn rejected is not sent to Torn again for this long. @default 600000 (10 minutes) */
  readonly rejectedKeyCooldownMs: number;
  /**
   * Sign-ins with a key this node does not hold that it may check with Torn per minute, from every
   * address together (Torn blocks an IP that sends it many bad keys). @default 60
   */
  readonly unknownKeyChecksPerMin: number;
  /**
   * Faction positions (as Torn names them, compared without regard to case) whose members may set and
   * clear target marks. `MARK_POSITIONS`, comma-separated. @default ['Leader', 'Co-leader']
   */
  readonly markPositions: readonly string[];
  /** How long an assist request ("help me on X") stays open; asking again renews it. @default 180000 (3 minutes) */
  readonly assistTtlMs: number;
  /** Member operations (call, release, watch, unwatch, mark, unmark, assist) one member may make per minute, over HTTP and WebSocket together. @default 60 */
  readonly callOpsLimitPerMin: number;
  /** Open streams (SSE, WebSocket, long-poll) one token may hold. @default 10 */
  readonly streamsPerToken: number;
  /** Open streams one IP address may hold. @default 200 */
  readonly streamsPerIp: number;
  /** Longest a client may take to send a request's headers and body (streams are not affected). @default 30000 */
  readonly requestTimeoutMs: number;
  /** Ended calls and disabled keys older than this many days are deleted. @default 30 */
  readonly retentionDays: number;
  /**
   * Origins besides Discord's own that a faction's webhook URL may point at
   * (`DISCORD_WEBHOOK_ALLOWED_ORIGINS`, comma-separated): tests' local receivers. Empty by default, so
   * the server never posts to an address of the operator's network. @default []
   */
  readonly discordWebhookAllowedOrigins: readonly string[];
  /** Settings set under an old name: what to tell the deployer (logged at start). */
  readonly deprecations: readonly string[];
}

/** A bad configuration value; the message names the variable, what is wrong, and an example. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

function integer(env: Env, name: string, def: number, min: number, max: number, example: string): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return def;
  const n = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new ConfigError(`${name} must be an integer ${min}-${max}, got ${JSON.stringify(raw)} (e.g. ${name}=${example})`);
  }
  return n;
}

function httpUrl(env: Env, name: string, def: string): string {
  const raw = env[name];
  if (raw === undefined || raw === '') return def;
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new ConfigError(`${name} must be an http(s) URL, got ${JSON.stringify(raw)} (e.g. ${name}=${def})`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    throw new ConfigError(`${name} must be an http(s) URL, got ${JSON.stringify(raw)} (e.g. ${name}=${def})`);
  }
  return raw.replace(/\/+$/, '');
}

function databaseUrl(env: Env): string | undefined {
  const raw = env.DATABASE_URL;
  if (raw === undefined || raw === '') return undefined;
  if (raw === 'memory://' || /^postgres(ql)?:\/\/.+/.test(raw)) return raw;
  throw new ConfigError(
    `DATABASE_URL must be postgres://… or memory:// (or unset for the embedded database), got ${JSON.stringify(raw.replace(/:[^:@/]*@/, ':***@'))} (e.g. DATABASE_URL=postgres://user:pass@host:5432/db)`,
  );
}

function embedded(env: Env, dbUrl: string | undefined): 'postgres' | 'pglite' | undefined {
  const raw = env.TORNCAT_EMBEDDED;
  if (raw === undefined || raw === '') return undefined;
  if (raw !== 'postgres' && raw !== 'pglite') {
    throw new ConfigError(`TORNCAT_EMBEDDED must be postgres or pglite, got ${JSON.stringify(raw)} (e.g. TORNCAT_EMBEDDED=postgres)`);
  }
  if (dbUrl !== undefined) throw new ConfigError('TORNCAT_EMBEDDED chooses the embedded database: unset it, or unset DATABASE_URL');
  return raw;
}

function origins(env: Env): string[] {
  const raw = env.TORNCAT_ALLOWED_ORIGINS;
  if (raw === undefined || raw.trim() === '') return ['https://www.torn.com'];
  const list = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const o of list) {
    if (o === '*') continue;
    let u: URL | undefined;
    try {
      u = new URL(o);
    } catch {
      /* reported below */
    }
    if (!u || u.origin !== o) {
      throw new ConfigError(
        `TORNCAT_ALLOWED_ORIGINS must be a comma-separated list of origins like https://www.torn.com, got ${JSON.stringify(o)}`,
      );
    }
  }
  return list;
}

/** A comma-separated list of origins (`http://127.0.0.1:8090`), empty when unset. */
function originList(env: Env, name: string, example: string): string[] {
  const list = (env[name] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const o of list) {
    let u: URL | undefined;
    try {
      u = new URL(o);
    } catch {
      /* reported below */
    }
    if (!u || u.origin !== o || (u.protocol !== 'http:' && u.protocol !== 'https:')) {
      throw new ConfigError(
        `${name} must be a comma-separated list of http(s) origins, got ${JSON.stringify(o)} (e.g. ${name}=${example})`,
      );
    }
  }
  return list;
}

/** Shorter secrets are refused: the key derivation cannot add entropy that the secret lacks. */
export const MIN_SECRET_LENGTH = 32;

function secret(env: Env, dbUrl: string | undefined, dataDir: string): string {
  const raw = env.TORNCAT_SECRET;
  if (raw !== undefined && raw !== '') {
    if (raw.trim().length < MIN_SECRET_LENGTH) {
      throw new ConfigError(
        `TORNCAT_SECRET must be at least ${MIN_SECRET_LENGTH} characters, got ${raw.trim().length} (e.g. TORNCAT_SECRET=$(openssl rand -hex 32))`,
      );
    }
    return raw;
  }
  // An in-memory database forgets its keys anyway, so an ephemeral secret loses nothing.
  if (dbUrl === 'memory://') return randomBytes(32).toString('hex');
  if (dbUrl !== undefined) {
    throw new ConfigError('TORNCAT_SECRET is required with a PostgreSQL DATABASE_URL (e.g. TORNCAT_SECRET=$(openssl rand -hex 32))');
  }
  // Embedded database: keep the secret beside the data it protects, so a restart can still decrypt keys.
  const file = join(dataDir, 'secret');
  let stored: string | undefined;
  try {
    stored = readFileSync(file, 'utf8').trim();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new ConfigError(`TORNCAT_SECRET: cannot read the generated secret ${file}: ${(e as Error).message}`);
    }
  }
  if (stored !== undefined) {
    // A blank or cut file would make the encryption key a value anyone can compute: never use it.
    if (stored.length < MIN_SECRET_LENGTH) {
      throw new ConfigError(
        `TORNCAT_SECRET: the generated secret ${file} is ${stored.length === 0 ? 'empty' : `only ${stored.length} characters`}; restore it from a backup, or delete it and sign in again (stored keys cannot be decrypted without it), or set TORNCAT_SECRET`,
      );
    }
    return stored;
  }
  const generated = randomBytes(32).toString('hex');
  // Written whole or not at all: a crash mid-write must not leave a blank secret behind.
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    mkdirSync(dataDir, { recursive: true });
    const fd = openSync(tmp, 'wx', 0o600);
    try {
      writeFileSync(fd, generated + '\n');
      // On disk before the name points at it, or a power cut can leave the name on an empty file.
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    try {
      // Unlike rename, link refuses to replace: of two first starts at once, both end up with the one secret that won.
      linkSync(tmp, file);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') return secret(env, dbUrl, dataDir);
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS') throw e;
      renameSync(tmp, file); // a file system without hard links
    }
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    throw new ConfigError(`TORNCAT_SECRET: cannot write the generated secret ${file}: ${(e as Error).message} (check TORNCAT_DATA_DIR)`);
  } finally {
    rmSync(tmp, { force: true });
  }
  return generated;
}

function positions(env: Env): string[] {
  const raw = env.MARK_POSITIONS;
  if (raw === undefined || raw.trim() === '') return ['Leader', 'Co-leader'];
  const list = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const p of list) {
    if (p.length > 50 || /\p{Cc}/u.test(p)) {
      throw new ConfigError(
        `MARK_POSITIONS must be a comma-separated list of Torn faction positions, got ${JSON.stringify(p.slice(0, 60))} (e.g. MARK_POSITIONS=Leader,Co-leader)`,
      );
    }
  }
  if (list.length === 0)
    throw new ConfigError(
      `MARK_POSITIONS must name at least one position, got ${JSON.stringify(raw)} (e.g. MARK_POSITIONS=Leader,Co-leader)`,
    );
  return list;
}

function flag(env: Env, name: string): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '' || raw === '0' || raw === 'false') return false;
  if (raw === '1' || raw === 'true') return true;
  throw new ConfigError(`${name} must be 1 or 0, got ${JSON.stringify(env[name])} (e.g. ${name}=1)`);
}

function optionalToken(env: Env, name: string): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  if (!/^[\x21-\x7e]{16,200}$/.test(raw)) {
    throw new ConfigError(`${name} must be 16-200 printable characters with no spaces (e.g. ${name}=$(openssl rand -hex 24))`);
  }
  return raw;
}

/** Parses the environment (and CLI overrides already merged into it). Throws ConfigError on the first bad value. */
export function loadConfig(env: Env = process.env): Config {
  const port = integer(env, 'PORT', 8080, 0, 65535, '8080');
  const host = env.HOST && env.HOST.trim() !== '' ? env.HOST.trim() : '0.0.0.0';
  const dbUrl = databaseUrl(env);
  const dataDir = resolve(env.TORNCAT_DATA_DIR && env.TORNCAT_DATA_DIR !== '' ? env.TORNCAT_DATA_DIR : './data');
  const day = 86_400_000;
  const interval = (name: string, def: number) => integer(env, name, def, 100, day, String(def));
  const config: Config = {
    port,
    host,
    databaseUrl: dbUrl,
    dataDir,
    embeddedDatabase: embedded(env, dbUrl),
    tornApiUrl: httpUrl(env, 'TORN_API_URL', 'https://api.torn.com'),
    secret: '',
    allowedOrigins: Object.freeze(origins(env)),
    userscriptPollIntervalMs: interval(
      'USERSCRIPT_POLL_INTERVAL_MS',
      // The older name said "sync", which is the server's Torn sync: deployers still set it.
      interval('SYNC_INTERVAL_MS', 5000),
    ),
    warCheckIntervalMs: interval('WAR_CHECK_INTERVAL_MS', 60000),
    targetStatusRefreshIntervalMs: interval('TARGET_STATUS_REFRESH_INTERVAL_MS', 5000),
    ownFactionRefreshIntervalMs: interval('OWN_FACTION_REFRESH_INTERVAL_MS', 30000),
    callTtlMs: integer(env, 'CALL_TTL_MS', 900000, 1000, day, '900000'),
    maxActiveCallsPerMember: integer(env, 'MAX_ACTIVE_CALLS_PER_MEMBER', 3, 1, 100, '3'),
    tornPlayerBudgetPerMin: integer(
      env,
      'TORN_PLAYER_BUDGET_PER_MIN',
      // The budget was per key before Torn's per-player count was followed; one key per member made them equal.
      integer(env, 'TORN_KEY_BUDGET_PER_MIN', 20, 1, 100, '20'),
      1,
      100,
      '20',
    ),
    tornEgressAddress: egressAddress(env),
    // Each node had a budget of its own before the nodes of an address shared one: the old name meant the same with one node.
    tornAddressBudgetPerMin: integer(
      env,
      'TORN_ADDRESS_BUDGET_PER_MIN',
      integer(env, 'TORN_NODE_BUDGET_PER_MIN', 600, 1, 1000, '600'),
      1,
      1000,
      '600',
    ),
    tornLocalAddress: localAddress(env),
    tornBudgetWindowMs: integer(env, 'TORN_BUDGET_WINDOW_MS', 60_000, 100, 3_600_000, '60000'),
    sessionTtlMs: integer(env, 'SESSION_TTL_MS', 30 * day, 60_000, 365 * day, String(30 * day)),
    logLevel: logLevel(env),
    logFormat: logFormat(env),
    publicUrl: env.TORNCAT_PUBLIC_URL ? httpUrl(env, 'TORNCAT_PUBLIC_URL', 'https://torncat.example.com') : undefined,
    trustProxy: flag(env, 'TORNCAT_TRUST_PROXY'),
    metricsToken: optionalToken(env, 'TORNCAT_METRICS_TOKEN'),
    signInLimitPerMin: integer(env, 'SIGN_IN_LIMIT_PER_MIN', 10, 1, 1_000_000, '10'),
    rejectedKeyCooldownMs: integer(env, 'REJECTED_KEY_COOLDOWN_MS', 600_000, 0, day, '600000'),
    unknownKeyChecksPerMin: integer(env, 'UNKNOWN_KEY_CHECKS_PER_MIN', 60, 1, 1_000_000, '60'),
    markPositions: Object.freeze(positions(env)),
    assistTtlMs: integer(env, 'ASSIST_TTL_MS', 180_000, 1000, day, '180000'),
    callOpsLimitPerMin: integer(env, 'CALL_OPS_LIMIT_PER_MIN', 60, 1, 1_000_000, '60'),
    streamsPerToken: integer(env, 'STREAMS_PER_TOKEN', 10, 1, 1_000_000, '10'),
    streamsPerIp: integer(env, 'STREAMS_PER_IP', 200, 1, 1_000_000, '200'),
    requestTimeoutMs: integer(env, 'REQUEST_TIMEOUT_MS', 30_000, 1000, 600_000, '30000'),
    retentionDays: integer(env, 'RETENTION_DAYS', 30, 1, 3650, '30'),
    discordWebhookAllowedOrigins: Object.freeze(originList(env, 'DISCORD_WEBHOOK_ALLOWED_ORIGINS', 'http://127.0.0.1:8090')),
    deprecations: Object.freeze(deprecations(env)),
  };
  // The secret comes last: generating one writes a file, which no other bad value should trigger.
  return Object.freeze({ ...config, secret: secret(env, dbUrl, dataDir) });
}

/** Old names still read, what replaces them, and what the new one means. */
const RENAMED: Record<string, { now: string; meaning: string }> = {
  SYNC_INTERVAL_MS: { now: 'USERSCRIPT_POLL_INTERVAL_MS', meaning: "same meaning: the polling userscript's interval" },
  TORN_NODE_BUDGET_PER_MIN: {
    now: 'TORN_ADDRESS_BUDGET_PER_MIN',
    meaning: 'the budget is now shared by every node sending from one address (TORN_EGRESS_ADDRESS), not one per node',
  },
};

function deprecations(env: Env): string[] {
  return Object.entries(RENAMED)
    .filter(([old]) => env[old] !== undefined && env[old] !== '')
    .map(([old, { now, meaning }]) =>
      env[now] !== undefined && env[now] !== ''
        ? `${old} is ignored: ${now} is set (${old} is its old name; unset it)`
        : `${old} is deprecated: set ${now} instead (${meaning})`,
    );
}

function egressAddress(env: Env): string {
  const raw = env.TORN_EGRESS_ADDRESS?.trim();
  if (raw === undefined || raw === '') return 'default';
  if (!/^[\x21-\x7e]{1,100}$/.test(raw)) {
    throw new ConfigError(
      `TORN_EGRESS_ADDRESS must be a label of 1-100 printable characters with no spaces, got ${JSON.stringify(raw.slice(0, 120))} (e.g. TORN_EGRESS_ADDRESS=203.0.113.7)`,
    );
  }
  return raw;
}

function localAddress(env: Env): string | undefined {
  const raw = env.TORN_LOCAL_ADDRESS?.trim();
  if (raw === undefined || raw === '') return undefined;
  if (isIP(raw) === 0) {
    throw new ConfigError(
      `TORN_LOCAL_ADDRESS must be an IP address of this machine, got ${JSON.stringify(raw)} (e.g. TORN_LOCAL_ADDRESS=10.0.0.5)`,
    );
  }
  return raw;
}

function logLevel(env: Env): string {
  const raw = env.LOG_LEVEL;
  if (raw === undefined || raw === '') return 'info';
  const levels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
  if (!levels.includes(raw))
    throw new ConfigError(`LOG_LEVEL must be one of ${levels.join(', ')}, got ${JSON.stringify(raw)} (e.g. LOG_LEVEL=info)`);
  return raw;
}

function logFormat(env: Env): 'json' | 'pretty' | undefined {
  const raw = env.LOG_FORMAT;
  if (raw === undefined || raw === '') return undefined;
  if (raw !== 'json' && raw !== 'pretty')
    throw new ConfigError(`LOG_FORMAT must be json or pretty, got ${JSON.stringify(raw)} (e.g. LOG_FORMAT=json)`);
  return raw;
}
