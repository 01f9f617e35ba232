import { backoffDelay } from '../backoff.js';
import { sqlState } from './database.js';

/** SQLSTATEs after which the same transaction, run again, can succeed. */
const TRANSIENT = new Set(['40001' /* serialization_failure */, '40P01' /* deadlock_detected */]);

/**
 * Runs `attempt` again (up to `tries` times, with jittered back-off) when PostgreSQL aborted it for
 * a conflict with another transaction. Anything else is thrown at once.
 */
export async function retryTransient<T>(attempt: () => Promise<T>, tries = 5): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await attempt();
    } catch (e) {
      const state = sqlState(e);
      if (i >= tries || !state || !TRANSIENT.has(state)) throw e;
      await new Promise((r) => setTimeout(r, backoffDelay(i, { baseMs: 10, maxMs: 1000 })));
    }
  }
}
