import type { Logger } from 'pino';
import type { Database } from '../../db/database.js';
import { deletePlayerKeys } from '../../auth/keys.js';
import { playersOfFaction, removeFromFaction, updateFromMemberList } from '../../auth/players.js';
import { deletePlayerSessions } from '../../auth/sessions.js';
import { toMembers, type Member } from '../../torn/index.js';
import { dueNow, reschedule, wantsFresh, type FactionJob } from './job.js';
import { chainJob, recordChainAnswer, withoutChainAccess } from './chain.js';

/**
 * Our own faction's member list (`faction/{id}/members`) every ownFactionRefreshInterval: names,
 * levels and positions kept current, and a member who left loses their sessions and key. While the
 * enemy is polled, our chain comes in the same request (`selections=members,chain`, counted in the
 * key budget like any other); a key that may not read it (a Custom key without it) is not an
 * error: the members are read alone and the chain waits for another key. By faction id, not "the
 * key owner's faction": the key may belong to the very member who just left.
 */
export const ownSideJob: FactionJob = {
  name: 'own side',
  intervalMs: (i) => i.ownFactionRefreshIntervalMs,
  due: (f, now, force) => dueNow(f, ownSideJob.name, now, force),
  async run(f, ctx, force, now) {
    const withChain = f.warPolling;
    const i = ctx.intervals;
    const fresh = wantsFresh(withChain ? i.targetStatusRefreshIntervalMs : i.ownFactionRefreshIntervalMs, force);
    const r = await ctx.requester.send(f.id, force, async (key) => {
      if (!withChain) return { members: toMembers(await ctx.torn.factionMembers(key.apiKey, f.id, { fresh })), chain: null };
      const answer = await withoutChainAccess(ctx.torn.factionMembersAndChain(key.apiKey, f.id, { fresh }));
      return answer === null ? { members: null, chain: null } : { members: toMembers(answer), chain: answer.chain };
    });
    let out = r.ok ? ({ kind: 'ran', changed: false } as const) : r.outcome;
    let members = r.ok ? r.value.members : null;
    if (r.ok && withChain) {
      await recordChainAnswer(f, ctx, r.value.chain);
      if (!members) {
        const alone = await ctx.requester.send(f.id, force, async (key) =>
          toMembers(await ctx.torn.factionMembers(key.apiKey, f.id, { fresh })),
        );
        members = alone.ok ? alone.value : null;
        if (!alone.ok) out = alone.outcome;
      }
    }
    if (members) await applyOwnMembers(ctx.db, ctx.log, f.id, members);
    // The chain was read (or tried) with the members: its own next read is an interval away.
    if (withChain) reschedule(f, chainJob.name, out, i.targetStatusRefreshIntervalMs, now);
    return out;
  },
};

/**
 * Keeps members' names and faction positions current; a member who left the faction loses their
 * sessions and key. A list that would remove everyone, or more than half of the members we know
 * at once, is more likely Torn answering wrong than a faction emptying: it removes nobody (and says so).
 */
async function applyOwnMembers(db: Database, log: Logger, factionId: number, members: readonly Member[]): Promise<void> {
  const listed = new Set(members.map((m) => m.id));
  await db.transaction(async (tx) => {
    await updateFromMemberList(tx, members);
    const known = await playersOfFaction(tx, factionId);
    const departed = known.filter((id) => !listed.has(id));
    if (departed.length === 0) return;
    // One departure is the everyday case, and a wrong one costs its member a sign-in; only a
    // faction with a single known member would otherwise never see that member go.
    if (members.length === 0 || (departed.length > 1 && departed.length * 2 > known.length)) {
      log.warn(
        { factionId, listed: members.length, known: known.length, departed: departed.length },
        members.length === 0
          ? 'Torn listed no member of our own faction: not trusted, nobody removed'
          : "Torn's member list drops more than half of the members we know at once: not trusted, nobody removed",
      );
      return;
    }
    for (const id of await removeFromFaction(tx, factionId, departed)) {
      await deletePlayerSessions(tx, id);
      await deletePlayerKeys(tx, id);
      log.info({ factionId, playerId: id }, 'member left the faction: sessions and key removed');
    }
  });
}
