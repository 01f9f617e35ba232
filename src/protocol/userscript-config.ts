/** The realtime transports a client climbs down, best first: each resumes from the last event id. */
const RUNGS = ['eventsource', 'gm-stream', 'long-poll', 'poll'] as const;
export type RungName = (typeof RUNGS)[number];

export function isRungName(name: unknown): name is RungName {
  return (RUNGS as readonly unknown[]).includes(name);
}

/** The settings a server writes into the userscripts it serves, as `TORNCAT_CONFIG`. */
export interface UserscriptConfig {
  /** The server's public base URL, no trailing slash. */
  server: string;
  build: 'sse' | 'polling';
  version: string;
  /** The ladder of this build, best first. */
  rungs: RungName[];
  syncIntervalMs: number;
  warCheckIntervalMs: number;
  targetStatusRefreshIntervalMs: number;
  ownFactionRefreshIntervalMs: number;
}
