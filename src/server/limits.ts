import type { Config } from '../config.js';
import { RateLimiter, RejectedKeys } from './rate-limiter.js';

/** The limiters of one node, as the config sets them: in the server's process, or (under WORKERS) in the primary for every worker. */
export function createLimits(config: Config): {
  signIn: RateLimiter;
  rejectedKeys: RejectedKeys;
  unknownKeyChecks: RateLimiter;
  callOps: RateLimiter;
} {
  return {
    signIn: new RateLimiter(config.signInLimitPerMin, 'sign-in attempts from your address'),
    rejectedKeys: new RejectedKeys(config.rejectedKeyCooldownMs),
    unknownKeyChecks: new RateLimiter(
      config.unknownKeyChecksPerMin,
      'sign-ins with new API keys on this server (Torn blocks a server that sends it many bad keys)',
    ),
    callOps: new RateLimiter(
      config.callOpsLimitPerMin,
      'member operations (call, release, watch, unwatch, mark, unmark, assist) and WebSocket commands',
    ),
  };
}
