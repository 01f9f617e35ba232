import type { Call } from './call.js';
import type { Assist, Chain, EnemyChain, TargetMark } from './intel.js';
import type { ScorePoint } from './score.js';
import type { WarSummary } from './summary.js';
import type { Target } from './target.js';
import type { War } from './war.js';
import type { SyncStatus } from './sync-status.js';

/** The member's stored Torn key as the poller sees it. */
export type KeyStatus = 'active' | 'resting' | 'disabled' | 'none';

/** `GET /api/war`: the member's board at one instant. */
export interface Snapshot {
  /** The faction's last event this snapshot includes: streams resume from here. */
  seq: number;
  me: {
    id: number;
    name: string;
    keyStatus: KeyStatus;
    /** This member's faction position (as Torn last listed it) may set and clear marks (MARK_POSITIONS). */
    canMark: boolean;
  };
  /** The open war, else the most recent one, else null. */
  war: War | null;
  summary: WarSummary | null;
  /** The war's score over time, oldest first: every change of its last hour, before that one per 5 minutes. */
  scoreHistory: ScorePoint[];
  targets: Target[];
  /** The war's open calls, oldest first. */
  calls: Call[];
  /** Our faction's chain as last read from Torn, or null before the first read. */
  chain: Chain | null;
  /** The enemy's chain in the war, from the war's own answer; null before the first read or without a war. */
  enemyChain: EnemyChain | null;
  /** Leaders' marks on the war's targets. */
  marks: TargetMark[];
  /** Open assist requests, oldest first. */
  assists: Assist[];
  /** Target ids this member watches explicitly (their own open calls are watched too, without being listed). */
  watches: number[];
  /** How the server's reads of Torn for the faction go: until the first one lands the board is empty for a reason. */
  sync: SyncStatus;
  /** The server's clock (Unix seconds): countdowns run on it, not on the device's. */
  serverTime: number;
}
