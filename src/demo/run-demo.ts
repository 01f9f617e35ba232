import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config.js';
import { startServer, type RunningServer } from '../server/start-server.js';
import { startSimulator, type Simulator } from '../simulator/index.js';
import { DemoMembers } from './demo-members.js';

export interface Demo {
  sim: Simulator;
  server: RunningServer;
  members: DemoMembers;
  close(): Promise<void>;
}

/**
 * `torncat demo`: the Torn simulator, a server polling it, and a few simulated members calling
 * targets — a live war with no Torn key and no network. Unless DATABASE_URL says otherwise the
 * database is the embedded PostgreSQL `npm start` runs, in a throwaway data directory removed on
 * close (PGlite in memory held about four times the memory); the war is checked every few seconds
 * so the board fills at once.
 */
export async function runDemo(
  env: Record<string, string | undefined>,
  o: { simPort?: number; memberEveryMs?: number } = {},
): Promise<Demo> {
  const sim = await startSimulator({ port: o.simPort ?? 0, dynamic: true });
  const throwaway = env.DATABASE_URL ? undefined : mkdtempSync(join(tmpdir(), 'torncat-demo-'));
  // As root the embedded PostgreSQL runs as the user `postgres`, which must enter the directory.
  if (throwaway) chmodSync(throwaway, 0o755);
  const config = loadConfig({
    WAR_CHECK_INTERVAL_MS: '10000',
    ...env,
    ...(throwaway ? { TORNCAT_DATA_DIR: throwaway } : {}),
    TORN_API_URL: sim.url,
  });
  // The server's own logger: it knows the secret the server keeps in the throwaway data directory.
  const server = await startServer(config);
  const members = new DemoMembers({ baseUrl: server.url, players: [2002, 2003, 2004, 2005, 2006], log: server.ctx.log });
  await members.signIn();
  members.start(o.memberEveryMs ?? 3000);
  return {
    sim,
    server,
    members,
    async close() {
      members.stop();
      await server.close();
      await sim.close();
      if (throwaway) rmSync(throwaway, { recursive: true, force: true });
    },
  };
}
