// The kinds of value a setting holds: how the text of a variable is read, what a bad one is told,
// and what the docs and `torncat --help` say it accepts.
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { ConfigError } from './config-error.js';

/** How one variable's text becomes its value. */
export interface Value<T> {
  /** What it accepts, in the docs' table and the help (markdown: backticks only). */
  readonly accepts: string;
  /** Blank text (spaces only) counts as unset, and the default applies. */
  readonly blankIsUnset?: boolean;
  /** @throws ConfigError naming `name`, what is wrong, and `name=example` */
  parse(raw: string, name: string, example: string): T;
}

function refuse(name: string, what: string, raw: string, example: string): never {
  throw new ConfigError(`${name} must be ${what}, got ${JSON.stringify(raw)} (e.g. ${name}=${example})`);
}

export function integer(min: number, max: number): Value<number> {
  return {
    accepts: `integer ${min}-${max}`,
    parse(raw, name, example) {
      const n = Number(raw);
      if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(n) || n < min || n > max)
        refuse(name, `an integer ${min}-${max}`, raw, example);
      return n;
    },
  };
}

export const text: Value<string> = { accepts: 'text', blankIsUnset: true, parse: (raw) => raw.trim() };

/** A directory, made absolute against the working directory at start. */
export const directory: Value<string> = { accepts: 'directory', parse: (raw) => resolve(raw) };

/** An http(s) URL, without its trailing slashes. */
export const httpUrl: Value<string> = {
  accepts: 'http(s) URL',
  parse(raw, name, example) {
    let u: URL | undefined;
    try {
      u = new URL(raw);
    } catch {
      /* refused below */
    }
    if (u?.protocol !== 'http:' && u?.protocol !== 'https:') refuse(name, 'an http(s) URL', raw, example);
    return raw.replace(/\/+$/, '');
  },
};

export function oneOf<const V extends string>(values: readonly V[]): Value<V> {
  const what = values.length === 2 ? `${values[0]} or ${values[1]}` : `one of ${values.join(', ')}`;
  return {
    accepts: values.map((v) => `\`${v}\``).join(values.length === 2 ? ' or ' : ', '),
    parse(raw, name, example) {
      if (!(values as readonly string[]).includes(raw)) refuse(name, what, raw, example);
      return raw as V;
    },
  };
}

export const flag: Value<boolean> = {
  accepts: '`1` or `0`',
  blankIsUnset: true,
  parse(raw, name) {
    const v = raw.trim().toLowerCase();
    if (v === '1' || v === 'true') return true;
    if (v === '0' || v === 'false') return false;
    return refuse(name, '1 or 0', raw, '1');
  },
};

/** A name without spaces (an egress address's label: `203.0.113.7`, `eu-1`). */
export const label: Value<string> = {
  accepts: '1-100 printable characters, no spaces',
  blankIsUnset: true,
  parse(raw, name, example) {
    const v = raw.trim();
    if (!/^[\x21-\x7e]{1,100}$/.test(v)) refuse(name, 'a label of 1-100 printable characters with no spaces', v.slice(0, 120), example);
    return v;
  },
};

/** An IP address (v4 or v6). */
export const ipAddress: Value<string> = {
  accepts: 'IP address',
  blankIsUnset: true,
  parse(raw, name, example) {
    const v = raw.trim();
    if (isIP(v) === 0) refuse(name, 'an IP address of this machine', v, example);
    return v;
  },
};

/** A bearer token; the message never repeats the value. */
export const token: Value<string> = {
  accepts: '16-200 printable characters, no spaces',
  parse(raw, name, example) {
    if (!/^[\x21-\x7e]{16,200}$/.test(raw)) {
      throw new ConfigError(`${name} must be 16-200 printable characters with no spaces (e.g. ${name}=${example})`);
    }
    return raw;
  },
};

/** Shorter secrets are refused: the key derivation cannot add entropy that the secret lacks. */
export const MIN_SECRET_LENGTH = 32;

/** An encryption secret; the message gives its length, never the value. */
export const secret: Value<string> = {
  accepts: `at least ${MIN_SECRET_LENGTH} characters`,
  parse(raw, name, example) {
    const length = raw.trim().length;
    if (length < MIN_SECRET_LENGTH) {
      throw new ConfigError(`${name} must be at least ${MIN_SECRET_LENGTH} characters, got ${length} (e.g. ${name}=${example})`);
    }
    return raw;
  },
};

/** `postgres://…` or `memory://`; the message hides the password. */
export const databaseUrl: Value<string> = {
  accepts: '`postgres://…` or `memory://`',
  parse(raw, name, example) {
    if (raw === 'memory://' || /^postgres(ql)?:\/\/.+/.test(raw)) return raw;
    throw new ConfigError(
      `${name} must be postgres://… or memory:// (or unset for the embedded database), got ${JSON.stringify(raw.replace(/:[^:@/]*@/, ':***@'))} (e.g. ${name}=${example})`,
    );
  },
};

function commaList(raw: string): string[] {
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Comma-separated origins (`https://www.torn.com`); `*` (any) only where `any` allows it. */
export function origins(o: { any: boolean }): Value<readonly string[]> {
  const what = o.any ? 'origins' : 'http(s) origins';
  return {
    accepts: `comma-separated ${what}${o.any ? ' or `*`' : ''}`,
    blankIsUnset: o.any,
    parse(raw, name, example) {
      const list = commaList(raw);
      for (const origin of list) {
        if (o.any && origin === '*') continue;
        let u: URL | undefined;
        try {
          u = new URL(origin);
        } catch {
          /* refused below */
        }
        if (!u || u.origin !== origin || (u.protocol !== 'http:' && u.protocol !== 'https:')) {
          refuse(name, `a comma-separated list of ${what}`, origin, example);
        }
      }
      return Object.freeze(list);
    },
  };
}

/** Comma-separated Torn faction positions, at least one. */
export const positions: Value<readonly string[]> = {
  accepts: 'comma-separated faction positions',
  blankIsUnset: true,
  parse(raw, name, example) {
    const list = commaList(raw);
    for (const p of list) {
      if (p.length > 50 || /\p{Cc}/u.test(p)) refuse(name, 'a comma-separated list of Torn faction positions', p.slice(0, 60), example);
    }
    if (list.length === 0) {
      throw new ConfigError(`${name} must name at least one position, got ${JSON.stringify(raw)} (e.g. ${name}=${example})`);
    }
    return Object.freeze(list);
  },
};
