// The limits every bench section lifts for itself: its members sign in, stream and call from one
// address (loopback), which TornCat's per-address and per-member limits exist to stop in production.
export const BENCH_LIMITS = {
  SIGN_IN_LIMIT_PER_MIN: '1000000',
  STREAMS_PER_TOKEN: '1000000',
  STREAMS_PER_IP: '1000000',
  CALL_OPS_LIMIT_PER_MIN: '1000000',
} as const;
