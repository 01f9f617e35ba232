import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Everything TornCat reads from the environment, parsed once at start and frozen. */
export interface Config {
  /** @default 8080 */
  readonly port: number;
  /** @default '0.0.0.0' */
  readonly host: string;
  /** Unset: embedded PGlite under dataDir; `memory://`: PGlite in memory; `postgres://…`: that server. */
  readonly databaseUrl: string | undefined;
  /** @default './data' */
  readonly dataDir: string;
  /** @default 'https://api.torn.com' */
  readonly tornApiUrl: string;
  /** Encrypts stored API keys. Generated into dataDir when unset on the embedded database. */
  readonly secret: string;
  /** @default ['https://www.torn.com'] */
  readonly allowedOrigins: readonly string[];
  /** @default 5000 */
  readonly syncIntervalMs: number;
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
  /** Requests one member's key may serve in any 60 s window. @default 20 */
  readonly tornKeyBudgetPerMin: number;
  /** Sliding session lifetime. @default 30 days */
  readonly sessionTtlMs: number;
  /** @default 'info' */
  readonly logLevel: string;
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

function secret(env: Env, dbUrl: string | undefined, dataDir: string): string {
  const raw = env.TORNCAT_SECRET;
  if (raw !== undefined && raw !== '') {
    if (raw.length < 16) {
      throw new ConfigError(
        `TORNCAT_SECRET must be at least 16 characters, got ${raw.length} (e.g. TORNCAT_SECRET=$(openssl rand -hex 32))`,
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
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    mkdirSync(dataDir, { recursive: true });
    const generated = randomBytes(32).toString('hex');
    writeFileSync(file, generated + '\n', { mode: 0o600, flag: 'wx' });
    return generated;
  }
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
    tornApiUrl: httpUrl(env, 'TORN_API_URL', 'https://api.torn.com'),
    secret: '',
    allowedOrigins: Object.freeze(origins(env)),
    syncIntervalMs: interval('SYNC_INTERVAL_MS', 5000),
    warCheckIntervalMs: interval('WAR_CHECK_INTERVAL_MS', 60000),
    targetStatusRefreshIntervalMs: interval('TARGET_STATUS_REFRESH_INTERVAL_MS', 5000),
    ownFactionRefreshIntervalMs: interval('OWN_FACTION_REFRESH_INTERVAL_MS', 30000),
    callTtlMs: integer(env, 'CALL_TTL_MS', 900000, 1000, day, '900000'),
    maxActiveCallsPerMember: integer(env, 'MAX_ACTIVE_CALLS_PER_MEMBER', 3, 1, 100, '3'),
    tornKeyBudgetPerMin: integer(env, 'TORN_KEY_BUDGET_PER_MIN', 20, 1, 100, '20'),
    sessionTtlMs: integer(env, 'SESSION_TTL_MS', 30 * day, 60_000, 365 * day, String(30 * day)),
    logLevel: logLevel(env),
  };
  // The secret comes last: generating one writes a file, which no other bad value should trigger.
  return Object.freeze({ ...config, secret: secret(env, dbUrl, dataDir) });
}

function logLevel(env: Env): string {
  const raw = env.LOG_LEVEL;
  if (raw === undefined || raw === '') return 'info';
  const levels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
  if (!levels.includes(raw))
    throw new ConfigError(`LOG_LEVEL must be one of ${levels.join(', ')}, got ${JSON.stringify(raw)} (e.g. LOG_LEVEL=info)`);
  return raw;
}
