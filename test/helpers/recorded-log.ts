import { Writable } from 'node:stream';
import pino, { type Logger } from 'pino';

/** A logger at `level` whose lines the test reads back, parsed, in `lines` (given, or a new array). */
export function recordedLog(lines: any[] = [], level = 'info'): { log: Logger; lines: any[] } {
  const log = pino(
    { level },
    new Writable({
      write(chunk, _enc, done) {
        lines.push(JSON.parse(String(chunk)));
        done();
      },
    }),
  );
  return { log, lines };
}
