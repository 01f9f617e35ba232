import { loadConfig } from '../config.js';
import { createLogger } from '../log.js';
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
 * targets — a live war with no Torn key and no network. The database is in memory unless
 * DATABASE_URL says otherwise; the war is checked every few seconds so the board fills at once.
 */
export async function runDemo(
  env: Record<string, string | undefined>,
  o: { simPort?: number; memberEveryMs?: number } = {},
): Promise<Demo> {
  const sim = await startSimulator({ port: o.simPort ?? 0, dynamic: true });
  const config = loadConfig({
    DATABASE_URL: 'memory://',
    WAR_CHECK_INTERVAL_MS: '10000',
    ...env,
    TORN_API_URL: sim.url,
  });
  const log = createLogger(config.logLevel, { format: config.logFormat, secrets: [config.secret, config.metricsToken] });
  const server = await startServer(config, { log });
  const members = new DemoMembers({ baseUrl: server.url, players: [2002, 2003, 2004, 2005, 2006], log });
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
    },
  };
}
