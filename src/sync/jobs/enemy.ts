import { headSeq } from '../../realtime/event-log.js';
import { toMembers } from '../../torn/index.js';
import { refreshSummaries } from '../../war/summary.js';
import { enemyChainReading, recordEnemyChain } from '../../war/enemy-chain.js';
import { applyEnemyMembers } from '../../war/targets.js';
import { announceWarStart, openWar, rankedWarReport, recordRankedWar } from '../../war/wars.js';
import { dueNow, wantsFresh, type FactionJob } from './job.js';

/**
 * The enemy of the open war (`faction/{enemy}?selections=members,wars`) every
 * targetStatusRefreshInterval, from shortly before the war's start to its end: their members'
 * status (the targets), and the war's scores and the enemy's chain in the same answer for no extra
 * request. Announces the start of a war this node saw coming.
 */
export const enemyJob: FactionJob = {
  name: 'enemy',
  intervalMs: (i) => i.targetStatusRefreshIntervalMs,
  due: (f, now, force) => dueNow(f, enemyJob.name, now, force),
  async run(f, ctx, force) {
    // No open war, no enemy to poll, and no key spent on it.
    const war = await openWar(ctx.db, ctx.clock, f.id);
    f.warPolling = false;
    if (!war) return { kind: 'ran', changed: false };
    // Torn lists a matched war hours before it starts, when its enemy has nothing to show yet: their
    // polling begins shortly before the start. A war check may move the start: look again by then.
    const pollFromMs = war.start * 1000 - ctx.intervals.warLeadMs;
    if (ctx.clock.nowMs() < pollFromMs) {
      return { kind: 'wait', retryAt: Math.min(ctx.clock.toLocalMs(pollFromMs), Date.now() + ctx.intervals.warCheckIntervalMs) };
    }
    f.warPolling = true;
    const fresh = wantsFresh(ctx.intervals.targetStatusRefreshIntervalMs, force);
    const r = await ctx.requester.send(f.id, force, (key) => ctx.torn.factionMembersAndWars(key.apiKey, war.enemy.id, { fresh }));
    if (!r.ok) return r.outcome;
    const members = toMembers(r.value);
    const ranked = r.value.wars.ranked;
    const tornNow = ctx.clock.now();
    // The enemy's side of our war; any other war of theirs is the war check's business.
    const report = ranked && ranked.war_id === war.id ? rankedWarReport(ranked, tornNow) : null;
    f.warChain = report ? (ranked?.factions.find((side) => side.id === f.id)?.chain ?? null) : null;
    const starts = f.upcomingWarId === war.id && war.start <= tornNow;
    const changed = await ctx.db.transaction(async (tx) => {
      const recorded = report ? await recordRankedWar(tx, ctx.clock, f.id, report) : null;
      let moved = recorded?.changed === 'scores' || recorded?.changed === 'ended';
      if (recorded?.changed === 'ended') {
        f.warPolling = false;
        ctx.log.info({ factionId: f.id, warId: war.id }, 'ranked war ended');
      } else {
        if (starts) {
          await announceWarStart(tx, recorded?.war ?? war);
          ctx.log.info({ factionId: f.id, warId: war.id }, 'ranked war started');
          moved = true;
        }
        if ((await applyEnemyMembers(tx, ctx.clock, f.id, war.id, members)) > 0) moved = true;
        const theirs = enemyChainReading(ranked, war, tornNow);
        if (theirs) await recordEnemyChain(tx, f.id, theirs);
      }
      if (!moved && f.summarySeq === (await headSeq(tx, f.id))) return false;
      // In the same transaction: the view never disagrees with the targets it summarizes.
      await refreshSummaries(tx, f.id, [war.id]);
      f.summarySeq = await headSeq(tx, f.id);
      return moved;
    });
    if (starts) f.upcomingWarId = -1;
    return { kind: 'ran', changed };
  },
};
