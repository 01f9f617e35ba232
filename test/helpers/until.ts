import { sleep } from './calls.js';

/**
 * What `probe` returns once it returns something truthy, probed every `everyMs`; throws `timed out
 * waiting for <what>` after `timeoutMs`. For states the test cannot be told of, only look at.
 */
export async function until<T>(
  what: string,
  probe: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  timeoutMs = 15_000,
  everyMs = 10,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(everyMs);
  }
}
