import { headSeq } from '../../realtime/event-log.js';
import { refreshSummaries } from '../../war/summary.js';
import { enemyChainReading, recordEnemyChain } from '../../war/enemy-chain.js';
import { openWar, rankedWarReport, recordRankedWar } from '../../war/wars.js';
import { dueNow, wantsFresh, type FactionJob } from './job.js';
import { enemyJob } from './enemy.js';
import { recordTornRead } from '../../war/read-status.js';

/**
 * The faction's ranked war (`faction/{id}/wars`) every warCheckInterval: a war matched, moved,
 * scored or ended, and the enemy's chain it lists while the enemy is not polled (their count, with
 * no request of its own). By faction id, so a key whose owner just left (and now sees another faction's
 * wars) cannot end ours.
 */
export const warCheckJob: FactionJob = {
  name: 'war check',
  intervalMs: (i) => i.warCheckIntervalMs,
  due: (f, now, force) => dueNow(f, warCheckJob.name, now, force),
  async run(f, ctx, force) {
    const fresh = wantsFresh(ctx.intervals.warCheckIntervalMs, force);
    const r = await ctx.requester.send(f.id, force, (key) => ctx.torn.factionWars(key.apiKey, f.id, { fresh }));
    if (!r.ok) {
      // The war check is the faction's first read and runs on every node holding it: it says when Torn cannot be read.
      const problem = r.problem;
      if (problem) await ctx.db.transaction((tx) => recordTornRead(tx, f.id, problem));
      return r.outcome;
    }
    f.readLanded = true;
    const ranked = r.value.wars.ranked;
    const report = ranked ? rankedWarReport(ranked, ctx.clock.now()) : null;
    const changed = await ctx.db.transaction(async (tx) => {
      const open = await openWar(tx, ctx.clock, f.id);
      const result = await recordRankedWar(tx, ctx.clock, f.id, report);
      // While the enemy is polled, its fresher answer has their count: this one, read through Torn's
      // cache, could be older and look like a drop (a new chain).
      const war = f.warPolling ? null : (result.war ?? open);
      const theirs = war && enemyChainReading(ranked, war, ctx.clock.now());
      if (theirs) await recordEnemyChain(tx, f.id, theirs);
      if (!result.changed) return false;
      // A war that just appeared has no targets yet: its first summary comes with them.
      const wars = new Set<number>();
      if (open) wars.add(open.id);
      if (result.war && result.changed !== 'started' && result.changed !== 'upcoming') wars.add(result.war.id);
      if (wars.size) {
        await refreshSummaries(tx, f.id, [...wars]);
        f.summarySeq = await headSeq(tx, f.id);
      }
      if (result.changed !== 'scores') {
        ctx.log.info({ factionId: f.id, warId: result.war?.id, start: result.war?.start }, `ranked war ${result.changed}`);
      }
      return true;
    });
    // Seen before its start: this node tells members when it starts.
    if (report && report.end === null && report.start > ctx.clock.now()) f.upcomingWarId = report.id;
    // A war that just appeared wants its enemy read now (or the time to read it worked out), not an interval later.
    if (changed && report && report.end === null) f.next[enemyJob.name] = 0;
    return { kind: 'ran', changed };
  },
};
