import { randomBytes } from 'node:crypto';
import { ConfigError } from './config/config-error.js';
import { SETTINGS, type Setting, type SettingValues } from './config/settings.js';

export { ConfigError } from './config/config-error.js';
export { MIN_SECRET_LENGTH } from './config/values.js';

/**
 * Everything TornCat reads from the environment, parsed once at start and frozen: one field per entry
 * of SETTINGS (src/config/settings.ts, which says what each does), and what the start must tell.
 */
export type Config = SettingValues & {
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
  return Object.freeze({ ...v, secret: secretFor(v.secret, v.databaseUrl), deprecations: Object.freeze(deprecations) });
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

function secretFor(given: string | undefined, dbUrl: string | undefined): string | undefined {
  if (given !== undefined) return given;
  // An in-memory database forgets its keys anyway, so an ephemeral secret loses nothing.
  if (dbUrl === 'memory://') return randomBytes(32).toString('hex');
  if (dbUrl !== undefined) {
    throw new ConfigError('TORNCAT_SECRET is required with a PostgreSQL DATABASE_URL (e.g. TORNCAT_SECRET=$(openssl rand -hex 32))');
  }
  // The embedded database: the start reads or generates the one kept in the data dir (src/auth/secret-file.ts).
  return undefined;
}
