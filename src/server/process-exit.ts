import type { Logger } from 'pino';

/** The signals that end TornCat gracefully: `docker stop` and kill (TERM), Ctrl-C (INT), a closed terminal (HUP). */
const STOP_SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP'] as const;

export interface ProcessExitOptions {
  /** How often to look whether the parent process is still there. @default 1000 */
  parentCheckMs?: number;
  /** Longest a graceful stop may take before the process exits anyway. @default 10000 */
  graceMs?: number;
}

/**
 * Runs `close` and exits when the process is told to stop, or when its parent is gone: under
 * `npm start`, an npm that was killed without passing the signal on leaves TornCat reparented (its
 * ppid changes), and a TornCat serving on alone would hold the port and the embedded PostgreSQL with
 * nobody to stop it. A process started by init or a container's init (ppid 0 or 1) has no parent to lose.
 */
export function exitOnStop(
  close: () => Promise<void>,
  log: Pick<Logger, 'info' | 'warn' | 'error'>,
  options: ProcessExitOptions = {},
): void {
  let stopping = false;
  const stop = (reason: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ reason }, `${reason}: shutting down`);
    setTimeout(() => {
      log.error({ graceMs: options.graceMs ?? 10_000 }, 'shutdown did not finish in time: exiting anyway');
      process.exit(1);
    }, options.graceMs ?? 10_000).unref();
    close().then(
      () => process.exit(0),
      (e: unknown) => {
        log.error({ err: e }, 'error while shutting down');
        process.exit(1);
      },
    );
  };
  for (const signal of STOP_SIGNALS) process.on(signal, () => stop(signal));
  const parent = process.ppid;
  if (parent > 1) {
    setInterval(() => {
      if (process.ppid !== parent) stop(`the parent process ${parent} is gone`);
    }, options.parentCheckMs ?? 1000).unref();
  }
}
