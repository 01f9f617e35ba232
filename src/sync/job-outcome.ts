/** How one run of a job went: `ran` (done or failed: wait an interval), `wait` (no key yet: retry at `retryAt`), `backoff` (the node stops every job). */
export type JobOutcome = { kind: 'ran'; changed: boolean } | { kind: 'wait'; retryAt: number } | { kind: 'backoff' };
