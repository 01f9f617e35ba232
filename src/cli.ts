#!/usr/bin/env node
import { spawnSync } from 'node:child_process';
import cluster from 'node:cluster';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ConfigError, loadConfig, MIN_SECRET_LENGTH, type Config } from './config.js';
import { dataDirSecret, SecretFileError } from './auth/secret-file.js';
import { configHelp } from './config/describe.js';
import { SETTINGS, type Setting } from './config/settings.js';
import { MigrationError, migrate } from './db/migrate.js';
import { createLogger } from './log.js';
import { describeConnectionFailure } from './db/connection-failure.js';
import { exitOnStop } from './server/process-exit.js';
import { runPrimary } from './cluster/primary.js';
import { workerCount } from './cluster/worker-count.js';

const COMMANDS = `usage: torncat <command> [--flag value …]

commands:
  serve      run the server (default): HTTP API, SSE, WebSocket, dashboard
  migrate    apply the database migrations and exit
  simulate   run the local Torn API simulator (--port, default 8090)
  demo       simulator + server + simulated members calling targets: a live war, no key, no network
  bench      the benchmarks (a source checkout with dev dependencies: runs bench/run.ts)`;

const USAGE = `${COMMANDS}

settings, from the environment; a flag beside a variable sets it too (docs/operations.md says more):
${configHelp()}`;

/** `torncat bench fan-out`: section filters, passed through to bench/run.ts. */
const benchArgs: string[] = [];

const FLAG_TO_ENV: Record<string, string> = Object.fromEntries(
  Object.values<Setting<unknown>>(SETTINGS).flatMap((s) => (s.flag ? [[s.flag, s.env]] : [])),
);

function parseArgs(argv: string[]): { command: string; env: Record<string, string | undefined> } {
  const env: Record<string, string | undefined> = { ...process.env };
  let command = 'serve';
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      process.exit(0);
    }
    const [flag, inline] = arg.split('=', 2) as [string, string | undefined];
    if (flag.startsWith('--')) {
      const name = FLAG_TO_ENV[flag];
      if (!name) fail(`unknown flag ${flag}\n${COMMANDS}\n(torncat --help lists every setting and its flag)`);
      const value = inline ?? argv[++i];
      if (value === undefined) fail(`${flag} needs a value`);
      env[name] = value;
    } else if (i === 0) command = arg;
    else if (command === 'bench') benchArgs.push(arg);
    else fail(`unexpected argument ${arg}\n${COMMANDS}`);
  }
  return { command, env };
}

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

function config(env: Record<string, string | undefined>): Config {
  try {
    return loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) fail(e.message);
    throw e;
  }
}

/** The config with its secret: on the embedded database without TORNCAT_SECRET, the one kept in the data dir. */
function withSecret(c: Config): Config {
  try {
    return Object.freeze({ ...c, secret: c.secret ?? dataDirSecret(c.dataDir, MIN_SECRET_LENGTH) });
  } catch (e) {
    if (e instanceof SecretFileError) fail(e.message);
    throw e;
  }
}

async function main(): Promise<void> {
  const { command, env } = parseArgs(process.argv.slice(2));
  switch (command) {
    case 'serve': {
      const c = withSecret(config(env));
      const log = createLogger(c.logLevel, { format: c.logFormat, secrets: [c.secret, c.metricsToken] });
      // An unreachable or refusing database is the operator's to fix: one line saying where and what, no stack.
      const explain = (e: unknown): never => {
        const line = c.databaseUrl && c.databaseUrl !== 'memory://' ? describeConnectionFailure(c.databaseUrl, e) : null;
        if (!line) throw e;
        log.fatal(line);
        process.exit(1);
      };
      // Each command loads what it runs: the primary of WORKERS, which serves nothing, stays small (57 MiB at rest, not 80).
      if (cluster.isWorker) return (await import('./cluster/worker.js')).runWorker(c, log).catch(explain);
      const { workers, reason } = workerCount(c);
      if (workers > 1) return runPrimary(c, log, workers, reason).catch(explain);
      log.info({ workers }, reason);
      const starting = import('./server/start-server.js').then(({ startServer }) => startServer(c, { log })).catch(explain);
      // Listened for from the start: a stop signal that comes while the server starts, or just after its
      // "listening" line, closes it once started instead of killing the process with its embedded database.
      exitOnStop(() => starting.then((server) => server.close()), log);
      await starting;
      return;
    }
    case 'migrate': {
      const c = config(env);
      const log = createLogger(c.logLevel, { format: c.logFormat, secrets: [c.secret, c.metricsToken] });
      const { openDatabase } = await import('./db/open-database.js');
      const db = await openDatabase(c.databaseUrl, c.dataDir, { embedded: c.embeddedDatabase, log });
      const applied = await migrate(db);
      await db.close();
      console.log(applied.length ? `applied ${applied.join(', ')}` : 'database already up to date');
      return;
    }
    case 'simulate': {
      const raw = env.PORT ?? '8090';
      if (!/^\d+$/.test(raw) || Number(raw) > 65535)
        fail(`--port must be an integer 0-65535, got ${JSON.stringify(raw)} (e.g. --port 8090)`);
      const { startSimulator } = await import('./simulator/index.js');
      const sim = await startSimulator({ port: Number(raw), host: env.HOST || '127.0.0.1' });
      console.log(`Torn API simulator on ${sim.url} (keys: demo000000002001 … demo000000002025, rivals demo000000003001 …)`);
      exitOnStop(() => sim.close(), createLogger(env.LOG_LEVEL || 'info'));
      return;
    }
    case 'demo': {
      config(env); // reports a bad variable before anything starts
      const { runDemo } = await import('./demo/run-demo.js');
      const demo = await runDemo(env);
      console.log(
        [
          `TornCat demo: a ranked war against the Torn simulator (${demo.sim.url}).`,
          `  board:      ${demo.server.url}/`,
          `  sign in as: demo000000002001 (members 2002-2006 are already calling targets)`,
          `  stream:     curl -sN "${demo.server.url}/events?token=<token>&lastEventId=0"`,
        ].join('\n'),
      );
      exitOnStop(() => demo.close(), demo.server.ctx.log);
      return;
    }
    case 'bench': {
      // The benchmarks are TypeScript beside src/, run with the dev dependency tsx, like `npm run bench`.
      const script = fileURLToPath(new URL('../bench/run.ts', import.meta.url));
      if (!existsSync(script))
        fail('torncat bench needs a source checkout (bench/run.ts) with dev dependencies: npm install && npm run bench');
      const r = spawnSync(process.execPath, ['--import', 'tsx', script, ...benchArgs], { stdio: 'inherit', env: env as NodeJS.ProcessEnv });
      return process.exit(r.status ?? 1);
    }
    default:
      fail(`unknown command ${command}\n${COMMANDS}`);
  }
}

main().catch((e) => {
  if (e instanceof MigrationError) fail(e.message);
  createLogger('error').fatal({ err: e }, 'torncat failed to start');
  process.exit(1);
});
