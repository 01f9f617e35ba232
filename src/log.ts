import { createRequire } from 'node:module';
import pino, { type DestinationStream, type Logger } from 'pino';

/** `json`: one JSON object a line (production, log collectors); `pretty`: coloured lines for a terminal. */
export type LogFormat = 'json' | 'pretty';

export interface LoggerOptions {
  /** Forced by `LOG_FORMAT`. @default pretty when standard output is a terminal, NODE_ENV is not production and pino-pretty is installed; else json */
  format?: LogFormat;
  /** Values never written whatever field or message holds them: the key-encryption secret, the metrics token. */
  secrets?: readonly (string | undefined)[];
  /** Where lines go. @default standard output */
  destination?: NodeJS.WritableStream;
}

// Members trust the server with their Torn keys and session tokens: a leaked log line must not leak
// them. Structured fields are redacted by name below; these patterns catch what slips into a
// message, an error or a URL, on every line just before it is written.
const LINE_SCRUBS: readonly [RegExp, string][] = [
  // Authorization values (`Bearer <session token>`, Torn's `ApiKey <key>`).
  [/\b(Bearer|ApiKey)(\s+)[^\s"',;\\]+/gi, '$1$2***'],
  // Tokens and keys in query strings (`?token=`, Torn's `?key=`), also percent-encoded inside another URL.
  [/([?&;](?:token|key)=)[^&\s"'#\\<>]*/gi, '$1***'],
  [/((?:token|key)%3D)[^&\s"'#\\<>%]*/gi, '$1***'],
  // A Discord webhook's token (`/api/webhooks/<id>/<token>`): whoever has it posts to the faction's channel.
  [/(\/api(?:\/v\d{1,2})?\/webhooks\/\d+\/)[\w-]+/gi, '$1***'],
  // A database URL's password.
  [/(postgres(?:ql)?:\/\/[^:/@\s"]*:)[^@\s"]*@/gi, '$1***@'],
  // A session token: 32 random bytes in base64url, exactly 43 characters.
  [/(?<![\w-])[\w-]{43}(?![\w-])/g, '***'],
  // A Torn API key: exactly 16 letters and digits, not all digits (those are ids and times). A JSON
  // field name (followed by `":`) is left alone; a 16-letter word in a message may be starred too.
  [/(?<![A-Za-z0-9])(?=[0-9]*[A-Za-z])[A-Za-z0-9]{16}(?![A-Za-z0-9])(?!":)/g, '***'],
];

const REDACTED_FIELDS = ['apiKey', '*.apiKey', 'key', '*.key', 'token', '*.token', 'secret', '*.secret', 'req.headers.authorization'];

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The function every line passes through before it is written: known secrets and key- or token-shaped text become `***`. */
function lineScrubber(secrets: readonly (string | undefined)[]): (line: string) => string {
  // A value also appears JSON-escaped inside a string field.
  const literal = secrets
    .filter((s): s is string => typeof s === 'string' && s.length >= 8)
    .flatMap((s) => [s, JSON.stringify(s).slice(1, -1)])
    .sort((a, b) => b.length - a.length);
  const known = literal.length ? new RegExp([...new Set(literal)].map(escapeRegExp).join('|'), 'g') : undefined;
  return (line) => {
    let out = known ? line.replace(known, '***') : line;
    for (const [pattern, replacement] of LINE_SCRUBS) out = out.replace(pattern, replacement);
    return out;
  };
}

/** pino-pretty is a development dependency: the production image does not have it. */
function loadPretty(): ((options: Record<string, unknown>) => DestinationStream) | undefined {
  try {
    return createRequire(import.meta.url)('pino-pretty') as (options: Record<string, unknown>) => DestinationStream;
  } catch {
    return undefined;
  }
}

function wantsPretty(format: LogFormat | undefined): boolean {
  if (format) return format === 'pretty';
  return process.stdout.isTTY === true && process.env.NODE_ENV !== 'production';
}

/**
 * The node's logger: JSON lines on standard output (what Render and Docker collect), or readable
 * lines in a terminal during development. No API key, session token, secret or metrics token
 * reaches a line: named fields are redacted, and every line is scrubbed before it is written.
 */
export function createLogger(level: string, options: LoggerOptions = {}): Logger {
  const pretty = wantsPretty(options.format) ? loadPretty() : undefined;
  const destination =
    pretty?.({
      destination: options.destination ?? 1,
      colorize: !options.destination && process.stdout.isTTY === true,
      sync: true,
      ignore: 'pid,hostname,service',
    }) ?? options.destination;
  const log = pino(
    {
      level,
      base: { service: 'torncat' },
      redact: { paths: REDACTED_FIELDS, censor: '***' },
      hooks: { streamWrite: lineScrubber(options.secrets ?? []) },
    },
    destination,
  );
  if (options.format === 'pretty' && !pretty)
    log.warn('LOG_FORMAT=pretty, but pino-pretty is not installed (a production install has no dev dependencies): writing JSON');
  return log;
}
