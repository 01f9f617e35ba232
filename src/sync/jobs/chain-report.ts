import { isTornApiError, type FactionChainReport } from '../../torn/index.js';
import { openWar } from '../../war/wars.js';
import { claimChainRead, storeChainReport, unfinishedChains } from '../../war/torn-hits.js';
import type { FactionState } from '../faction-state.js';
import type { JobOutcome } from '../job-outcome.js';
import { wantsFresh, type FactionJob, type JobContext } from './job.js';

/**
 * Our faction's chain report (`/v2/faction/chainreport`, Public key), Torn's count of each member's
 * war hits: while our war runs, at most once a minute (`chainReportIntervalMs`) across every node and
 * restart (the read time is claimed in the database), never outside a war. A chain of the war that was
 * still running when last read and has since given way to a new one is read once more by its id, for
 * its final numbers.
 */
export const chainReportJob: FactionJob = {
  name: 'chain report',
  intervalMs: (i) => i.chainReportIntervalMs,
  // Only while the enemy is polled (the war is on, or about to be): the run checks it has started.
  due: (f, now, force) => f.warPolling && (force || now >= (f.next[chainReportJob.name] ?? 0)),
  async run(f, ctx, force) {
    const war = await openWar(ctx.db, ctx.clock, f.id);
    if (!war || war.start > ctx.clock.now()) return { kind: 'ran', changed: false };
    const intervalS = force ? 0 : ctx.intervals.chainReportIntervalMs / 1000;
    // Read within the minute (by another node, or before a restart): come back when the minute is over.
    const waitMs = await claimChainRead(ctx.db, f.id, war.id, intervalS);
    if (waitMs > 0) return { kind: 'wait', retryAt: Date.now() + waitMs };
    const latest = await readReport(f, ctx, force, undefined);
    if (!latest.ok) return latest.outcome;
    if (latest.report) await storeChainReport(ctx.db, f.id, war.id, latest.report);
    for (const chainId of await unfinishedChains(ctx.db, f.id, war.id, latest.report?.id ?? 0)) {
      const done = await readReport(f, ctx, force, chainId);
      if (!done.ok) return done.outcome;
      if (done.report) await storeChainReport(ctx.db, f.id, war.id, done.report);
    }
    return { kind: 'ran', changed: false };
  },
};

type ReportRead = { ok: true; report: FactionChainReport | null } | { ok: false; outcome: JobOutcome };

/**
 * One chain report: the latest (no id) or a given chain's. null when Torn has none (error 6: the
 * faction never chained, or no such chain; 7: not ours) or when the key's owner is no longer ours:
 * the id-less form reads the key owner's faction, whichever it is now.
 */
async function readReport(f: FactionState, ctx: JobContext, force: boolean, chainId: number | undefined): Promise<ReportRead> {
  const r = await ctx.requester.send(f.id, force, async (key) => {
    try {
      const fresh = wantsFresh(ctx.intervals.chainReportIntervalMs, force);
      return (await ctx.torn.factionChainReport(key.apiKey, chainId, { fresh })).chainreport;
    } catch (e) {
      if (isTornApiError(e) && (e.code === 6 || e.code === 7)) return null;
      throw e;
    }
  });
  if (!r.ok) return r;
  return { ok: true, report: r.value && r.value.faction_id === f.id ? r.value : null };
}
