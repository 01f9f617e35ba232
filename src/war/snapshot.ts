import type { Database } from '../db/database.js';
import type { Member } from '../auth/sessions.js';
import { headSeq } from '../realtime/event-log.js';
import { openCalls, type CallView } from './calls.js';
import { keyStatus } from '../auth/keys.js';
import { readSummary, type WarSummary } from './summary.js';
import { listTargets, type TargetView } from './targets.js';
import { latestWar, type War } from './wars.js';

export interface Snapshot {
  seq: number;
  me: { id: number; name: string; keyStatus: 'active' | 'resting' | 'disabled' | 'none' };
  war: War | null;
  summary: WarSummary | null;
  targets: TargetView[];
  calls: CallView[];
  serverTime: number;
}

/**
 * Everything a member's board needs, read in one repeatable-read transaction so that `seq` is
 * exactly the event position the rest reflects: a stream resumed from `seq` misses nothing and
 * repeats nothing.
 */
export function readSnapshot(db: Database, member: Member): Promise<Snapshot> {
  return db.transaction(
    async (tx) => {
      const seq = await headSeq(tx, member.factionId);
      const war = await latestWar(tx, member.factionId);
      const status = await keyStatus(tx, member.playerId);
      const time = await tx.query<{ now: number }>('select extract(epoch from now())::bigint as now');
      return {
        seq,
        me: { id: member.playerId, name: member.playerName, keyStatus: status },
        war,
        summary: war ? await readSummary(tx, member.factionId, war.id) : null,
        targets: war ? await listTargets(tx, member.factionId, war.id) : [],
        calls: war ? await openCalls(tx, member.factionId, war.id) : [],
        serverTime: time.rows[0].now,
      };
    },
    { isolation: 'repeatable read' },
  );
}
