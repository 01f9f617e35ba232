import type { JobContext, NodeJob } from './job.js';

/**
 * Torn's clock (`torn/timestamp`) every clockInterval, and the database's with it, kept in
 * `ctx.clock`. Every node does it, polling or not: each serves snapshots. Not learned (no key with
 * budget left, Torn refused): it tries again well before the interval.
 */
export const clockJob: NodeJob = {
  name: 'clock',
  async run(ctx, factionIds) {
    const every = ctx.intervals.clockIntervalMs;
    return Date.now() + ((await learnTornClock(ctx, factionIds)) ? every : Math.min(30_000, every));
  },
};

/** Asks Torn for its time with a key of one of the factions (in order), and the database for its own. Returns whether Torn answered. */
export async function learnTornClock(ctx: JobContext, factionIds: readonly number[]): Promise<boolean> {
  const clock = ctx.clock;
  for (const id of factionIds) {
    const r = await ctx.requester.send(id, false, async (key) => {
      const sentAt = Date.now();
      const answer = await ctx.torn.tornTimestamp(key.apiKey);
      return { torn: answer.timestamp, sentAt, receivedAt: Date.now() };
    });
    if (!r.ok) {
      if (r.outcome.kind === 'backoff') return false;
      continue;
    }
    const before = clock.offsetMs;
    clock.learnTorn(r.value.torn, r.value.sentAt, r.value.receivedAt);
    const sentAt = Date.now();
    const db = await ctx.db.query<{ ms: number }>('select extract(epoch from clock_timestamp()) * 1000 as ms');
    clock.learnDatabase(Number(db.rows[0].ms), sentAt, Date.now());
    if (Math.abs(clock.offsetMs - before) >= 2000) {
      ctx.log.info(
        { offsetMs: clock.offsetMs, databaseOffsetMs: clock.databaseOffsetMs },
        "Torn's clock differs from ours: times are shown on Torn's",
      );
    }
    return true;
  }
  return false;
}
