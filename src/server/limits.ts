import type { Config } from '../config.js';
import { RateLimiter, RejectedKeys } from './rate-limiter.js';

/**
 * The limiters a node keeps in memory, as the config sets them: in the server's process, or (under
 * WORKERS) in the primary for every worker. The checks of unknown keys are counted in the database,
 * per egress address (AddressLimiter), and so hold across workers and nodes by themselves.
 */
export function createLimits(config: Config): { signIn: RateLimiter; rejectedKeys: RejectedKeys; callOps: RateLimiter } {
  return {
    signIn: new RateLimiter(config.signInLimitPerMin, 'sign-in attempts from your address'),
    rejectedKeys: new RejectedKeys(config.rejectedKeyCooldownMs),
    callOps: new RateLimiter(
      config.callOpsLimitPerMin,
      'member operations (call, release, watch, unwatch, mark, unmark, assist) and WebSocket commands',
    ),
  };
}
