/**
 * What this node knows of one faction it polls, between runs: the scheduler's bookkeeping and the
 * facts one job leaves for another. Lives in memory only; a node that takes a faction over starts
 * afresh (each job's first run is due at once).
 */
export interface FactionState {
  readonly id: number;
  /** Each job's next due time (this node's Unix ms), by job name; absent: due now. */
  next: Record<string, number>;
  /** A node that does not hold the faction's lock tries again at this time. */
  nextLockTry: number;
  /** When a request of this faction last got a key: the node's budget goes to those served longest ago. */
  servedAt: number;
  /** A run of the faction is under way. */
  busy: boolean;
  /** The faction's event head when its summary was last refreshed (-1: not yet on this node). */
  summarySeq: number;
  /** The upcoming war this node saw before its start: it announces the start (-1: none). Set by the war check. */
  upcomingWarId: number;
  /** The enemy's last read polled them: the war is on (or starts within the lead), so our chain matters. */
  warPolling: boolean;
  /** Our chain's count as the ranked war last showed it (the enemy's answer carries it); null: not known. */
  warChain: number | null;
  /** Our chain was running (or cooling down) when last read, or has not been read yet. */
  chainLive: boolean;
  /** The war check read Torn in this run: once the run's reads are written, members hear the first read landed (or a problem cleared). */
  readLanded: boolean;
}

export function newFactionState(id: number): FactionState {
  return {
    id,
    next: {},
    nextLockTry: 0,
    servedAt: 0,
    busy: false,
    summarySeq: -1,
    upcomingWarId: -1,
    warPolling: false,
    warChain: null,
    chainLive: true,
    readLanded: false,
  };
}
