/** What the primary tells a worker it forks, in the worker's environment. */
export const WORKER_ENV = {
  /** The worker's number, 1…WORKERS (a replacement takes the number of the worker it replaces). */
  index: 'TORNCAT_WORKER',
  /** The embedded PostgreSQL the primary started, when it did (it holds the password: never logged unscrubbed). */
  databaseUrl: 'TORNCAT_WORKER_DATABASE_URL',
} as const;
