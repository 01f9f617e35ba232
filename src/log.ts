import pino, { type Logger } from 'pino';

/** JSON lines on stdout (what Render and Docker collect). Keys never reach a log line: the Torn client redacts them. */
export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'torncat' }, redact: ['apiKey', '*.apiKey', 'token', '*.token', 'req.headers.authorization'] });
}
