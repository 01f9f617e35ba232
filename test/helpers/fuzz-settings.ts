/** The fuzz suites' seed and number of runs: FUZZ_SEED and FUZZ_RUNS override them to explore further. */
export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 20240611);
export const FUZZ_RUNS = Number(process.env.FUZZ_RUNS ?? 300);

/** The fuzz must not be throttled by TornCat's own limits (the highest values config.ts accepts; a 429 is still a valid answer). */
export const FUZZ_LIMITS = {
  SIGN_IN_LIMIT_PER_MIN: '10000',
  CALL_OPS_LIMIT_PER_MIN: '100000',
  STREAMS_PER_TOKEN: '10000',
  STREAMS_PER_IP: '1000000',
};
