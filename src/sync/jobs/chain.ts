import { isTornApiError, type FactionOngoingChain } from '../../torn/index.js';
import { chainFromTorn, recordChain } from '../../war/chain.js';
import type { FactionState } from '../faction-state.js';
import { wantsFresh, type FactionJob, type JobContext } from './job.js';

/**
 * Our own chain (`faction/{id}/chain`) while the enemy is polled. An idle chain costs nothing
 * extra: the own-side job reads it with the member list, and the first hit shows in the war's
 * answer; a running one (or a war answer showing it count) is read on its own every
 * targetStatusRefreshInterval. A forced sync reads it with the member list.
 */
export const chainJob: FactionJob = {
  name: 'chain',
  intervalMs: (i) => i.targetStatusRefreshIntervalMs,
  due: (f, now, force) => !force && chainWanted(f) && now >= (f.next[chainJob.name] ?? 0),
  async run(f, ctx, force) {
    const fresh = wantsFresh(ctx.intervals.targetStatusRefreshIntervalMs, force);
    const r = await ctx.requester.send(f.id, force, (key) => withoutChainAccess(ctx.torn.factionChain(key.apiKey, f.id, { fresh })));
    if (!r.ok) return r.outcome;
    await recordChainAnswer(f, ctx, r.value?.chain ?? null);
    return { kind: 'ran', changed: false };
  },
};

/** The chain is worth a request of its own: the war is polled, and the chain runs (or cools down), or the war's answer shows it counting. */
function chainWanted(f: FactionState): boolean {
  return f.warPolling && (f.chainLive || f.warChain !== 0);
}

/** Records a chain Torn showed (null: the key may not read it, and another key will). */
export async function recordChainAnswer(f: FactionState, ctx: JobContext, chain: FactionOngoingChain | null): Promise<void> {
  if (!chain) {
    ctx.log.debug({ factionId: f.id }, 'this key may not read the chain: the chain waits for another key');
    return;
  }
  const reading = chainFromTorn(f.id, chain, ctx.clock.now());
  f.chainLive = reading.current > 0 || reading.cooldown > 0;
  // Not a `changed`: that means "summaries refreshed", and the chain is not in the summary.
  await ctx.db.transaction((tx) => recordChain(tx, reading));
}

/** Torn's answer, or null when the key may not read the chain (error 16): not the key's fault, nor Torn's. */
export async function withoutChainAccess<T>(request: Promise<T>): Promise<T | null> {
  try {
    return await request;
  } catch (e) {
    if (isTornApiError(e) && e.kind === 'access_level') return null;
    throw e;
  }
}
