import { AggregatorRegistry } from 'prom-client';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { Metrics } from '../metrics/index.js';
import { exitOnStop } from '../server/process-exit.js';
import { startServer } from '../server/start-server.js';
import { PrimaryChannel } from './primary-channel.js';
import { WORKER_ENV } from './worker-env.js';

/**
 * One worker of `torncat serve` under WORKERS: a whole server (its own hub, subscribers, LISTEN
 * connection, pool and poller) on the port the primary shares, with the node-wide limits and
 * /metrics asked of the primary.
 */
export async function runWorker(config: Config, log: Logger): Promise<void> {
  const index = Number(process.env[WORKER_ENV.index]);
  const channel = new PrimaryChannel();
  const workerLog = log.child({ worker: index });
  const metrics = new Metrics();
  // prom-client answers the primary's requests for this registry (its listener comes with an AggregatorRegistry).
  new AggregatorRegistry();
  AggregatorRegistry.setRegistries([metrics.registry]);
  metrics.exposeWith(async () => (await channel.request({ torncat: 'metrics' })).text ?? '');
  const starting = startServer(
    {
      ...config,
      // The embedded PostgreSQL is the primary's: workers connect to it.
      databaseUrl: process.env[WORKER_ENV.databaseUrl] || config.databaseUrl,
    },
    {
      log: workerLog,
      worker: index,
      metrics,
      limits: {
        signIn: channel.allowance('signIn'),
        callOps: channel.allowance('callOps'),
        rejectedKeys: channel.rejectedKeys(),
      },
      streamSlots: channel.streamSlots(),
    },
  );
  // A stop while the worker starts closes it once started (as one process does).
  exitOnStop(() => starting.then((server) => server.close()), workerLog);
  const server = await starting;
  channel.tell({ torncat: 'listening', url: server.url });
}
