import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import type { Logger } from 'pino';
import { MIN_SECRET_LENGTH, type Config } from '../config.js';
import { openDatabase } from '../db/open-database.js';
import type { Database } from '../db/database.js';
import { migrate } from '../db/migrate.js';
import { KeyVault } from '../auth/key-vault.js';
import { dataDirSecret } from '../auth/secret-file.js';
import { countKeysByState, upgradeStoredKeys } from '../auth/keys.js';
import { createTornClient, TornClock } from '../torn/index.js';
import { Hub, type HubOptions } from '../realtime/hub/hub.js';
import { logReader } from '../realtime/hub/event-reader.js';
import { Heartbeat } from '../realtime/heartbeat.js';
import { EventListener } from '../realtime/listener.js';
import { handleSse } from './transports/sse.js';
import { attachWebSocket } from './transports/websocket.js';
import { KeyPool } from '../sync/key-pool.js';
import { WarSync } from '../sync/war-sync.js';
import { createLogger } from '../log.js';
import { Metrics } from '../metrics/index.js';
import type { AppContext } from './app-context.js';
import { createApp } from './app.js';
import { Housekeeping } from './housekeeping.js';
import { OpenStreams } from './open-streams.js';
import { AddressLimiter } from './rate-limiter.js';
import { AddressBudget, type AddressBudgetKind } from '../sync/address-budget.js';
import { createLimits } from './limits.js';
import type { StreamSlots } from './stream-caps.js';
import { DiscordSender, type DiscordSenderOptions } from '../discord/sender.js';

export interface RunningServer {
  url: string;
  port: number;
  ctx: AppContext;
  housekeeping: Housekeeping;
  /** Stops accepting, ends every stream (clients resume elsewhere), stops the timers and LISTEN, closes the database. */
  close(): Promise<void>;
}

export interface StartOptions {
  log?: Logger;
  /** Without `log`: where the logger built from the config writes (tests capture it). @default standard output */
  logDestination?: NodeJS.WritableStream;
  /** Use this database instead of opening one from the config (tests share one PGlite). Not closed by close(). */
  db?: Database;
  /** Poll Torn in the background. @default true */
  sync?: boolean;
  /** @default 15000 */
  heartbeatMs?: number;
  /** @default 5000 */
  catchUpIntervalMs?: number;
  /** The hub's window and back-pressure limits (tests shorten stallMs). */
  hub?: Pick<HubOptions, 'windowSize' | 'windowBytes' | 'lagBytes' | 'stallMs'>;
  /** The window of TORN_PLAYER_BUDGET_PER_MIN and TORN_ADDRESS_BUDGET_PER_MIN; tests shrink it with the intervals. @default config.tornBudgetWindowMs */
  keyBudgetWindowMs?: number;
  /** The Discord sender's pace (tests shorten the retries). */
  discord?: Pick<DiscordSenderOptions, 'pollMs' | 'retryBaseMs' | 'retryMaxMs' | 'leaseMs' | 'requestTimeoutMs'>;
  /** Under WORKERS: the machine-wide allowances the primary holds, in place of this process's own. */
  limits?: Partial<AppContext['limits']>;
  /** Under WORKERS: the primary's stream caps, in place of this process's own. */
  streamSlots?: StreamSlots;
  /** The node's metrics (a worker sets up its cluster aggregation first). @default new Metrics() */
  metrics?: Metrics;
  /** A worker's number (1…WORKERS): its log lines and answers say which worker served. */
  worker?: number;
}

/** Opens the database, migrates it, and serves HTTP, SSE and WebSocket on config.host:config.port. */
export async function startServer(config: Config, options: StartOptions = {}): Promise<RunningServer> {
  // Without TORNCAT_SECRET on the embedded database: the one kept in the data directory, generated on the first start.
  const secret = config.secret ?? dataDirSecret(config.dataDir, MIN_SECRET_LENGTH);
  const log =
    options.log ??
    createLogger(config.logLevel, {
      format: config.logFormat,
      secrets: [secret, config.metricsToken],
      destination: options.logDestination,
    });
  for (const note of config.deprecations) log.warn(note);
  const db =
    options.db ??
    (await openDatabase(config.databaseUrl, config.dataDir, {
      onPoolError: (e) => log.warn({ err: e }, 'database connection lost'),
      embedded: config.embeddedDatabase,
      log,
    }));
  const applied = await migrate(db);
  if (applied.length) log.info({ applied }, 'migrations applied');

  const metrics = options.metrics ?? new Metrics();
  const hub = new Hub({ events: logReader(db), log, observer: metrics.realtime, ...options.hub });
  metrics.bind({ connections: () => hub.connections() });
  metrics.bind({ keysByState: () => countKeysByState(db), subscribers: () => hub.subscriberCount(), poolUse: () => db.poolUse() });
  const tornOptions = { baseUrl: config.tornApiUrl, onRequest: metrics.onTornRequest, localAddress: config.tornLocalAddress };
  // The sync's client: its key pool counts each request in the address's budget before lending a key.
  const torn = createTornClient(tornOptions);
  const vault = new KeyVault(secret);
  // One per node: its war sync teaches it Torn's time, the war code shows every time on it.
  const clock = new TornClock();
  const budgetWindowMs = options.keyBudgetWindowMs ?? config.tornBudgetWindowMs;
  const addressBudget = (kind: AddressBudgetKind, perWindow: number) =>
    new AddressBudget({ db, address: config.tornEgressAddress, kind, perWindow, windowMs: budgetWindowMs });
  const keys = new KeyPool({
    db,
    vault,
    playerBudgetPerWindow: config.tornPlayerBudgetPerMin,
    address: addressBudget('requests', config.tornAddressBudgetPerMin),
    budgetWindowMs,
  });
  metrics.bind({ tornRequestsPerMinute: () => keys.recentRequests() });
  const upgraded = await upgradeStoredKeys(db, vault);
  if (upgraded.upgraded || upgraded.merged) log.info(upgraded, 'stored API keys re-encrypted with the HKDF-derived key');
  if (upgraded.unreadable) log.warn(upgraded, 'stored API keys TORNCAT_SECRET cannot decrypt');
  const ctx: AppContext = {
    config,
    db,
    vault,
    // Members' requests (sign-in) leave from the same address: counted in its budget, never refused by it (a member is waiting).
    torn: createTornClient({ ...tornOptions, beforeRequest: () => keys.address.spend({ force: true }) }),
    clock,
    hub,
    heartbeat: new Heartbeat(options.heartbeatMs),
    listener: new EventListener({
      db,
      hub,
      log,
      catchUpIntervalMs: options.catchUpIntervalMs,
      onSessionsChanged: (playerId) => void ctx.streams.recheck(playerId),
    }),
    sync: new WarSync({
      db,
      torn,
      keys,
      clock,
      log,
      metrics,
      warCheckIntervalMs: config.warCheckIntervalMs,
      targetStatusRefreshIntervalMs: config.targetStatusRefreshIntervalMs,
      ownFactionRefreshIntervalMs: config.ownFactionRefreshIntervalMs,
      // Once per budget window: a minute, shrunk with it in tests and benchmarks.
      chainReportIntervalMs: budgetWindowMs,
    }),
    discord: new DiscordSender({ db, vault, log, ...options.discord }),
    log,
    metrics,
    streams: new OpenStreams({ db, log, perToken: config.streamsPerToken, perIp: config.streamsPerIp, slots: options.streamSlots }),
    limits: {
      ...createLimits(config),
      unknownKeyChecks: new AddressLimiter(
        addressBudget('unknown_keys', config.unknownKeyChecksPerMin),
        'sign-ins with new API keys on this server (Torn blocks a server that sends it many bad keys)',
      ),
      ...options.limits,
    },
    shuttingDown: false,
  };
  const housekeeping = new Housekeeping({ db, log, clock, callTtlMs: config.callTtlMs, retentionDays: config.retentionDays });

  const api = getRequestListener(createApp(ctx).fetch);
  // Which worker answered: tests (and an operator with curl -i) see the connections spread.
  const workerHeader = options.worker === undefined ? undefined : (['X-TornCat-Worker', String(options.worker)] as const);
  const server: Server = createServer(
    {
      // Node checks the two timeouts below on this timer; its default (30 s) would let a slow body live a minute.
      connectionsCheckingInterval: Math.max(250, Math.min(5000, Math.floor(config.requestTimeoutMs / 4))),
    },
    (req, res) => {
      if (workerHeader) res.setHeader(...workerHeader);
      if (req.url === '/events' || req.url?.startsWith('/events?')) void handleSse(ctx, req, res);
      else void api(req, res);
    },
  );
  // The whole request (headers and body) must arrive within this, or a client sending one byte at a
  // time holds a connection forever. It ends once the request is read: SSE answers live on, and a
  // WebSocket leaves the HTTP server at its upgrade.
  server.requestTimeout = config.requestTimeoutMs;
  server.headersTimeout = Math.min(30_000, config.requestTimeoutMs);
  const wss = attachWebSocket(ctx, server);
  if (workerHeader) wss.on('headers', (headers) => headers.push(`${workerHeader[0]}: ${workerHeader[1]}`));

  await ctx.listener.start();
  housekeeping.start();
  if (options.sync !== false) ctx.sync.start();
  ctx.discord.start();

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const bound = server.address() as AddressInfo;
  const port = bound.port;
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  // The address the socket really has (HOST=localhost may give ::1); every address is said to be so.
  const listening = `http://${bound.family === 'IPv6' ? `[${bound.address}]` : bound.address}:${port}`;
  const everywhere = bound.address === '0.0.0.0' || bound.address === '::';
  log.info(
    {
      address: bound.address,
      port,
      database: db.kind,
      torn: config.tornApiUrl,
      ...(options.worker === undefined ? {} : { pid: process.pid }),
    },
    // A worker's line is not the node's: the primary says "listening" once every worker serves.
    `${options.worker === undefined ? 'TornCat listening on' : `worker ${options.worker} serving`} ${listening}${everywhere ? ` (every address of this machine; from here: http://${host}:${port})` : ''}`,
  );

  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${port}`,
    port,
    ctx,
    housekeeping,
    close() {
      closing ??= (async () => {
        ctx.shuttingDown = true;
        const stopped = new Promise<void>((r) => server.close(() => r()));
        ctx.streams.endAll();
        wss.close();
        server.closeIdleConnections();
        ctx.heartbeat.stop();
        housekeeping.stop();
        // Each step is attempted even if an earlier one failed (a database already gone, say).
        const results = await Promise.allSettled([ctx.sync.stop(), ctx.listener.stop(), ctx.discord.stop()]);
        for (const r of results) if (r.status === 'rejected') log.warn({ err: r.reason }, 'error while shutting down');
        // Long-polls still waiting answer within their wait; don't let one hold the exit past 10 s.
        setTimeout(() => server.closeAllConnections(), 2000).unref();
        await stopped;
        if (!options.db) await db.close().catch((e) => log.warn({ err: e }, 'error closing the database'));
      })();
      return closing;
    },
  };
}
