import type { Database } from '../db/database.js';
import type { Member } from '../auth/sessions.js';
import { headSeq } from '../realtime/event-log.js';
import type { Snapshot } from '../protocol/snapshot.js';
import { openCalls } from './calls.js';
import { keyStatus } from '../auth/keys.js';
import { readSummary } from './summary.js';
import { listTargets } from './targets.js';
import { latestWar } from './wars.js';
import type { TornClock } from '../torn/index.js';
import { readChain } from './chain.js';
import { readScoreHistory } from './score-history.js';
import { readEnemyChain } from './enemy-chain.js';
import { listMarks, mayMark } from './marks.js';
import { openAssists } from './assists.js';
import { listWatches } from './watches.js';
import { readSyncStatus } from './read-status.js';

export type { Snapshot };

/**
 * Everything a member's board needs, read in one repeatable-read transaction so that `seq` is
 * exactly the event position the rest reflects: a stream resumed from `seq` misses nothing and
 * repeats nothing.
 */
export function readSnapshot(db: Database, clock: TornClock, member: Member, markPositions: readonly string[]): Promise<Snapshot> {
  return db.transaction(
    async (tx) => {
      const seq = await headSeq(tx, member.factionId);
      const war = await latestWar(tx, clock, member.factionId);
      const status = await keyStatus(tx, member.playerId);
      const time = await tx.query<{ now: number }>('select extract(epoch from now())::bigint as now');
      return {
        seq,
        me: { id: member.playerId, name: member.playerName, keyStatus: status, canMark: await mayMark(tx, member.playerId, markPositions) },
        war,
        summary: war ? await readSummary(tx, member.factionId, war.id) : null,
        scoreHistory: war ? await readScoreHistory(tx, member.factionId, war.id) : [],
        targets: war ? await listTargets(tx, member.factionId, war.id) : [],
        calls: war ? await openCalls(tx, clock, member.factionId, war.id) : [],
        chain: await readChain(tx, member.factionId),
        enemyChain: war ? await readEnemyChain(tx, member.factionId, war.id) : null,
        marks: war ? await listMarks(tx, clock, member.factionId, war.id) : [],
        assists: war ? await openAssists(tx, clock, member.factionId, war.id) : [],
        watches: war ? await listWatches(tx, member.factionId, war.id, member.playerId) : [],
        sync: await readSyncStatus(tx, member.factionId),
        // On Torn's clock, as the call times beside it: members count Torn's `until`s down against it.
        serverTime: clock.fromDatabase(time.rows[0].now),
      };
    },
    { isolation: 'repeatable read' },
  );
}
