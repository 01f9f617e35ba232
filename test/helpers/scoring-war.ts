import assert from 'node:assert/strict';
import type { Backend } from './databases.js';
import { startWarFixture, type WarFixture } from './war-fixture.js';

/** Torn's clock moves on by `seconds` (its scores with it) and the faction's sync reads the war again. */
export async function laterInWar(f: WarFixture, seconds: number): Promise<void> {
  await f.simControl('/__sim/clock', { advance: seconds });
  assert.equal(await f.server.ctx.sync.syncClock(1001), true);
  await f.sync(1001);
}

/**
 * A war whose scores grow with the simulator's clock (faction 1001 against 1002), read `reads` times
 * ten minutes apart after its first read: a score history to chart and pace.
 */
export async function startScoringWar(backend: Backend, reads: number): Promise<WarFixture> {
  const f = await startWarFixture(backend, { simDynamic: true, env: { TORN_PLAYER_BUDGET_PER_MIN: '100' } });
  await f.signIn(2001);
  assert.equal(await f.server.ctx.sync.syncClock(1001), true);
  await f.sync(1001);
  for (let i = 0; i < reads; i++) await laterInWar(f, 10 * 60);
  return f;
}
