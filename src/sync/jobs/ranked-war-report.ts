import { isTornApiError } from '../../torn/index.js';
import { endedWarWithoutReport, rankedReportFailed, storeRankedWarReport } from '../../war/torn-hits.js';
import { dueNow, type FactionJob } from './job.js';

/** A failed read of a war's report is tried again after this, doubling up to 64 times as long. */
const RETRY_S = 60;

/**
 * Torn's report of our ended ranked war (`/v2/faction/{rankedWarId}/rankedwarreport`, Public key):
 * each member's war hits and score, read once per war after its end. Looking costs no request: the
 * database says which ended war still lacks its report; a read Torn refuses is tried again later.
 */
export const rankedWarReportJob: FactionJob = {
  name: 'ranked war report',
  // Looked for at most once a minute: a database query, and Torn's report is not due to the second.
  intervalMs: (i) => Math.max(i.warCheckIntervalMs, i.chainReportIntervalMs),
  due: (f, now, force) => dueNow(f, rankedWarReportJob.name, now, force),
  async run(f, ctx, force) {
    const warId = await endedWarWithoutReport(ctx.db, f.id);
    if (warId === null) return { kind: 'ran', changed: false };
    const r = await ctx.requester.send(f.id, force, async (key) => {
      try {
        // Fresh: an answer Torn cached before the report was made would be read as "not there yet".
        return (await ctx.torn.rankedWarReport(key.apiKey, warId, { fresh: true })).rankedwarreport;
      } catch (e) {
        // Not there (yet): Torn documents no error for a report still being made.
        if (isTornApiError(e) && (e.code === 6 || e.code === 7)) return null;
        throw e;
      }
    });
    if (!r.ok && r.outcome.kind !== 'ran') return r.outcome;
    if (!r.ok || r.value === null) {
      await rankedReportFailed(ctx.db, f.id, warId, RETRY_S);
      return { kind: 'ran', changed: false };
    }
    const members = await storeRankedWarReport(ctx.db, f.id, warId, r.value);
    ctx.log.info({ factionId: f.id, warId, members }, "Torn's ranked war report read");
    return { kind: 'ran', changed: false };
  },
};
