// A war board's snapshot and events for the client-model tests: one war, our faction 1001 against
// 1002, member 2001, targets built with every field the wire carries.
import type { Call } from '../../src/protocol/call.js';
import type { TargetStatusData, WarEvent } from '../../src/protocol/events.js';
import type { Chain } from '../../src/protocol/intel.js';
import type { Snapshot } from '../../src/protocol/snapshot.js';
import type { Target, TargetStatus } from '../../src/protocol/target.js';
import type { Store } from '../../src/client/core/storage.js';

export const ME = 2001;
export const WAR_ID = 5001;

export function target(id: number, status: Partial<TargetStatus> = {}, more: Partial<Target> = {}): Target {
  return {
    id,
    name: `T${id}`,
    level: 10,
    status: { state: 'Okay', description: 'Okay', details: '', until: null, ...status },
    lastAction: { status: 'Online', timestamp: 0 },
    isRevivable: null,
    hasEarlyDischarge: null,
    travel: null,
    hospitalCountry: null,
    earlyExitAt: null,
    links: { profile: `https://www.torn.com/profiles.php?XID=${id}`, attack: '' },
    ...more,
  };
}

export function snapshot(seq: number, serverTime: number, parts: Partial<Snapshot> = {}): Snapshot {
  return {
    seq,
    me: { id: ME, name: 'Me', keyStatus: 'active', canMark: true },
    war: {
      id: WAR_ID,
      factionId: 1001,
      enemy: { id: 1002, name: 'Rivals' },
      start: 0,
      end: null,
      target: 4000,
      winner: null,
      scores: {},
      active: true,
      phase: 'active',
    },
    summary: null,
    scoreHistory: [],
    targets: [],
    calls: [],
    chain: null,
    enemyChain: null,
    marks: [],
    assists: [],
    watches: [],
    sync: { firstReadDone: true, problem: null },
    serverTime,
    ...parts,
  };
}

export function statusEvent(id: number, t: Target, extra: Partial<TargetStatusData> = {}): WarEvent<'target_status'> {
  return {
    id,
    event: 'target_status',
    data: {
      warId: WAR_ID,
      targetId: t.id,
      state: t.status.state,
      until: t.status.until,
      description: t.status.description,
      details: t.status.details,
      lastAction: t.lastAction,
      isRevivable: t.isRevivable,
      hasEarlyDischarge: t.hasEarlyDischarge,
      travel: t.travel,
      hospitalCountry: t.hospitalCountry,
      ...extra,
    },
  };
}

export function myCall(targetId: number, at: number, waitingForExit = false): Call {
  return { targetId, targetName: `T${targetId}`, callerId: ME, callerName: 'Me', state: 'called', at, expiresAt: at + 900, waitingForExit };
}

export function chain(parts: Partial<Chain> = {}): Chain {
  return { factionId: 1001, current: 0, max: 0, timeout: 0, cooldown: 0, modifier: 1, start: 0, end: 0, at: 0, nextBonus: 10, ...parts };
}

/** A Store in memory, as localStorage would be across page loads. */
export function memoryStore(): Store & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    get: (k) => data.get(k) ?? null,
    set: (k, v) => {
      if (v === null) data.delete(k);
      else data.set(k, v);
    },
  };
}
