/** Why the server cannot read Torn for the faction right now. */
export type SyncProblemCode = 'node_backed_off' | 'no_usable_key' | 'torn_unreachable' | 'torn_error';

/** What members are told for each problem. */
const SYNC_PROBLEM_MESSAGES: Record<SyncProblemCode, string> = {
  node_backed_off: 'Torn refuses this server for now (IP block or Torn down, errors 8/9/17/24): it tries again on its own.',
  no_usable_key: 'No member of the faction has a usable API key here: sign in with a key Torn accepts.',
  torn_unreachable: 'Torn cannot be reached from this server: it tries again on its own.',
  torn_error: 'Torn answered with an error: the server tries again on its own.',
};

/** The snapshot's `sync` and the `sync_status` event: how the server's reads of Torn for the faction go. */
export interface SyncStatus {
  /** Torn was read for the faction at least once (its war and, in a war, its targets). */
  firstReadDone: boolean;
  /** Null while reads work. */
  problem: null | { code: SyncProblemCode; message: string };
}

export function syncStatus(firstReadDone: boolean, code: SyncProblemCode | null): SyncStatus {
  return { firstReadDone, problem: code ? { code, message: SYNC_PROBLEM_MESSAGES[code] } : null };
}

/** What a surface shows (null: nothing to say). */
export function syncNote(s: SyncStatus | null | undefined): string | null {
  if (!s) return null;
  if (s.problem) return `Torn cannot be read: ${s.problem.message}`;
  return s.firstReadDone ? null : 'Reading Torn for the first time…';
}
