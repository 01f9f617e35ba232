// `npm run bench -- scale-model`: what serving every faction at war in Torn at once would cost, computed
// from this repository's measured figures (bench/results, docs/reliability.md "The figures"), for a
// bracket of factions at war, since no public source counts them. A model, not a measurement: each
// input says where it was measured; docs/scale.md explains the rows.

export interface ScaleInputs {
  /** Torn requests one faction's sync wants per minute: enemy 5 s (12), own faction 30 s (2), war 60 s (1). */
  tornPerFactionMin: number;
  /**
   * One egress address's budget (TORN_ADDRESS_BUDGET_PER_MIN default, shared by every node sending
   * from it; Torn allows 1,000 per IP).
   */
  addressBudgetMin: number;
  /** Members of a faction streaming during a war (the many-factions bench: 50, all signed in). */
  membersStreaming: number;
  /** Clients one node serves (fan-out bench: 10,000 on 2 cores, p99 114-125 ms). */
  clientsPerNode: number;
  /** PostgreSQL time per Torn request, ms (many-factions: 11 relaxed, 31 at seed intervals). */
  dbMsPerTornRequest: number;
  /** Notifying commits per faction per second while members call (many-factions: 60/s over 200 factions). */
  notifyPerFactionS: number;
  /**
   * Notifying commits per second one PostgreSQL passes through its commit-order lock: pgbench, 8 writers,
   * PostgreSQL 15 on this shared 2-core VM (load ~20): 168-236/s against 520-1,700/s for the same
   * transactions without NOTIFY.
   */
  notifyCapacityS: number;
  /** Server RSS per streaming member, all-in (many-factions: 320 MiB over 10,000 members). */
  kibPerMember: number;
  /** Server CPU per delivered event per client, µs (fan-out: 0.091 CPU-s per event at 10,000 clients). */
  cpuUsPerDelivery: number;
}

export const MEASURED: ScaleInputs = {
  tornPerFactionMin: 15,
  addressBudgetMin: 600,
  membersStreaming: 50,
  clientsPerNode: 10_000,
  dbMsPerTornRequest: 31,
  notifyPerFactionS: 0.3,
  notifyCapacityS: 200,
  kibPerMember: 32,
  cpuUsPerDelivery: 9.1,
};

export interface ScaleRow {
  factions: number;
  tornPerMin: number;
  addresses: number;
  nodesForTorn: number;
  clients: number;
  nodesForClients: number;
  nodes: number;
  memoryGiB: number;
  fanOutCores: number;
  dbCores: number;
  notifyS: number;
  /** notifyS / notifyCapacityS. */
  lockUse: number;
  firstLimit: string;
}

export function scaleRow(factions: number, i: ScaleInputs = MEASURED): ScaleRow {
  const tornPerMin = factions * i.tornPerFactionMin;
  const addresses = Math.ceil(tornPerMin / i.addressBudgetMin);
  // The budget is the address's, shared by its nodes: one node on each address is enough for Torn.
  const nodesForTorn = addresses;
  const clients = factions * i.membersStreaming;
  const nodesForClients = Math.ceil(clients / i.clientsPerNode);
  const nodes = Math.max(nodesForTorn, nodesForClients);
  const notifyS = factions * i.notifyPerFactionS;
  const lockUse = notifyS / i.notifyCapacityS;
  const dbCores = (tornPerMin / 60) * (i.dbMsPerTornRequest / 1000);
  const firstLimit =
    lockUse >= 1
      ? 'NOTIFY commit lock'
      : dbCores > 16
        ? 'one PostgreSQL (CPU)'
        : lockUse >= 0.5
          ? 'NOTIFY lock > 50 %'
          : 'none (add addresses and nodes)';
  return {
    factions,
    tornPerMin,
    addresses,
    nodesForTorn,
    clients,
    nodesForClients,
    nodes,
    memoryGiB: (clients * i.kibPerMember) / 1024 / 1024,
    // Every faction's events reach its own members: deliveries/s = NOTIFY/s × members.
    fanOutCores: (notifyS * i.membersStreaming * i.cpuUsPerDelivery) / 1e6,
    dbCores,
    notifyS,
    lockUse,
    firstLimit,
  };
}

/** Factions at war that fill the commit-order lock, for a few lock capacities (commits/s). */
export function lockLimits(capacities = [200, 1000, 2000], i: ScaleInputs = MEASURED): string {
  return capacities.map((c) => `${c} NOTIFY/s → ${Math.floor(c / i.notifyPerFactionS)} factions`).join('; ');
}

export function formatScaleModel(factions = [200, 500, 1000, 2000, 4000], i: ScaleInputs = MEASURED): string {
  const head =
    '| factions at war | Torn req/min | addresses (budget/min) | nodes (one per address) | clients | nodes (10k clients) | RSS GiB | fan-out cores | PostgreSQL cores | NOTIFY/s | commit lock use | first limit |';
  const rows = factions.map((f) => {
    const r = scaleRow(f, i);
    return `| ${f} | ${r.tornPerMin} | ${r.addresses} | ${r.nodesForTorn} | ${r.clients} | ${r.nodesForClients} | ${r.memoryGiB.toFixed(1)} | ${r.fanOutCores.toFixed(2)} | ${r.dbCores.toFixed(1)} | ${r.notifyS.toFixed(0)} | ${(r.lockUse * 100).toFixed(0)} % | ${r.firstLimit} |`;
  });
  return [head, '|' + '---|'.repeat(12), ...rows].join('\n');
}

/** The same bracket with the relaxed intervals of the many-factions bench (enemy 30 s, war and own 60 s). */
export const RELAXED: ScaleInputs = { ...MEASURED, tornPerFactionMin: 4, addressBudgetMin: 1000, dbMsPerTornRequest: 11 };
