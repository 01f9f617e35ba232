import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from './config/config-error.js';
import { SETTINGS, type Setting, type SettingValues } from './config/settings.js';
import { MIN_SECRET_LENGTH } from './config/values.js';

export { ConfigError } from './config/config-error.js';
export { MIN_SECRET_LENGTH } from './config/values.js';

/**
 * Everything TornCat reads from the environment, parsed once at start and frozen: one field per entry
 * of SETTINGS (src/config/settings.ts, which says what each does), and what the start must tell.
 */
export type Config = Omit<SettingValues, 'secret'> & {
  /** Encrypts stored API keys: TORNCAT_SECRET, or generated into dataDir on the embedded database. */
  readonly secret: string;
  /** Settings set under an old name: what to tell the deployer (logged at start). */
  readonly deprecations: readonly string[];
};

type Env = Record<string, string | undefined>;

/** Parses the environment (and CLI overrides already merged into it). Throws ConfigError on the first bad value. */
export function loadConfig(env: Env = process.env): Config {
  const deprecations: string[] = [];
  const values: Record<string, unknown> = {};
  for (const [field, s] of Object.entries(SETTINGS) as [string, Setting<unknown>][]) values[field] = read(env, s, deprecations);
  const v = values as SettingValues;
  if (v.embeddedDatabase !== undefined && v.databaseUrl !== undefined) {
    throw new ConfigError('TORNCAT_EMBEDDED chooses the embedded database: unset it, or unset DATABASE_URL');
  }
  // The secret comes last: generating one writes a file, which no other bad value should trigger.
  return Object.freeze({ ...v, secret: secretFor(v.secret, v.databaseUrl, v.dataDir), deprecations: Object.freeze(deprecations) });
}

/** One setting's value: its variable, else its old name (noting that in `deprecations`), else its default. */
function read(env: Env, s: Setting<unknown>, deprecations: string[]): unknown {
  const example = s.example ?? s.default ?? '';
  const given = (name: string) => {
    const raw = env[name];
    return raw === undefined || raw === '' || (s.value.blankIsUnset && raw.trim() === '') ? undefined : raw;
  };
  const raw = given(s.env);
  let value = raw === undefined ? undefined : s.value.parse(raw, s.env, example);
  const old = s.oldName && given(s.oldName.env);
  if (s.oldName && old !== undefined) {
    const oldValue = s.value.parse(old, s.oldName.env, example);
    if (raw === undefined) {
      value = oldValue;
      deprecations.push(`${s.oldName.env} is deprecated: set ${s.env} instead (${s.oldName.note})`);
    } else {
      deprecations.push(`${s.oldName.env} is ignored: ${s.env} is set (${s.oldName.env} is its old name; unset it)`);
    }
  }
  if (value === undefined && s.default !== undefined) value = s.value.parse(s.default, s.env, example);
  return value;
}

function secretFor(given: string | undefined, dbUrl: string | undefined, dataDir: string): string {
  if (given !== undefined) return given;
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
      if (code === 'EEXIST') return secretFor(given, dbUrl, dataDir);
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
