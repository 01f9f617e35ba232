import type { Backend } from './databases.js';
import { startWarFixture, type WarFixture } from './war-fixture.js';

/**
 * The set-up most suites start from: a war fixture on `backend` with `members` signed in (2001 unless
 * told) and faction 1001's war read once, so that the war and its targets are there. Returns the
 * fixture and the members' tokens, in the order given (`token`: the first's); a failed set-up closes
 * what it started.
 */
export async function startWarRead(
  backend: Backend,
  options: Parameters<typeof startWarFixture>[1] & { members?: number[] } = {},
): Promise<{ f: WarFixture; token: string; tokens: string[] }> {
  const { members = [2001], ...fixtureOptions } = options;
  const f = await startWarFixture(backend, fixtureOptions);
  try {
    const tokens: string[] = [];
    for (const id of members) tokens.push(await f.signIn(id));
    await f.sync(1001);
    return { f, token: tokens[0], tokens };
  } catch (e) {
    await f.close();
    throw e;
  }
}
