import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { startServerProcess } from '../helpers/server-process.js';
import { PG_ADMIN_URL, backends } from '../helpers/databases.js';
import { describeConnectionFailure } from '../../src/db/connection-failure.js';
import { openPgDatabase } from '../../src/db/pg-database.js';
import type { Database } from '../../src/db/database.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';

const KEY = 'aB3dE5gH7jK9mN1p';
const LETTERS_KEY = 'QwErTyUiOpAsDfGh';
// A session token as sessions.ts makes them.
const TOKEN = randomBytes(32).toString('base64url');
const SECRET = 'se"cr\\et-0123456789abcdef-0123456789';
const METRICS_TOKEN = 'metrics-0123456789-abcdef';

function captured(format: 'json' | 'pretty' | undefined, level = 'trace') {
  const lines: string[] = [];
  const log = createLogger(level, {
    format,
    secrets: [SECRET, METRICS_TOKEN],
    destination: new Writable({
      write(chunk: Buffer | string, _encoding, done) {
        lines.push(...String(chunk).split('\n').filter(Boolean));
        done();
      },
    }),
  });
  return { log, lines };
}

const settle = () => new Promise((r) => setImmediate(r));

describe('log lines are scrubbed of keys, tokens and secrets', () => {
  const { log, lines } = captured('json');
  log.info(`signing in with ${KEY} and ${LETTERS_KEY}`);
  log.warn({ err: new Error(`GET https://api.torn.com/v2/user?selections=profile&key=${KEY}&comment=torncat failed`) }, 'Torn failed');
  log.info({ headers: { authorization: `Bearer ${TOKEN}` }, torn: `ApiKey ${KEY}` }, 'headers');
  log.info({ url: `/events?token=${TOKEN}&lastEventId=12`, nested: `https%3A%2F%2Fapi.torn.com%2Fuser%3Fkey%3D${KEY}` }, 'urls');
  log.info({ apiKey: KEY, token: TOKEN, key: KEY, nested: { apiKey: KEY, secret: SECRET } }, 'fields');
  log.debug({ config: { metricsToken: METRICS_TOKEN } }, `the secret is ${SECRET}`);
  log.info({ database: 'postgres://torncat:hunter2pass@db.example.supabase.co:5432/postgres' }, 'connecting');
  log.trace(`a session ${TOKEN} and a key ${KEY} in plain text`);

  test('none of them reaches a line, whatever field or message holds it', () => {
    assert.equal(lines.length, 8);
    for (const line of lines) {
      for (const value of [KEY, LETTERS_KEY, TOKEN, SECRET, JSON.stringify(SECRET).slice(1, -1), METRICS_TOKEN, 'hunter2pass']) {
        assert.ok(!line.includes(value), `${value} in ${line}`);
      }
      JSON.parse(line);
    }
  });

  test('what is around them stays readable', () => {
    const [first, err, headers, urls, fields, , db] = lines.map((l) => JSON.parse(l));
    assert.equal(first.msg, 'signing in with *** and ***');
    assert.match(err.err.message, /\?selections=profile&key=\*\*\*&comment=torncat failed$/);
    assert.equal(headers.headers.authorization, 'Bearer ***');
    assert.equal(headers.torn, 'ApiKey ***');
    assert.equal(urls.url, '/events?token=***&lastEventId=12');
    assert.match(urls.nested, /key%3D\*\*\*$/);
    assert.equal(fields.apiKey, '***');
    assert.equal(fields.nested.secret, '***');
    assert.equal(db.database, 'postgres://torncat:***@db.example.supabase.co:5432/postgres');
  });

  test('ids, times and field names are not mistaken for keys', () => {
    const { log: l, lines: out } = captured('json');
    l.info(
      { connectionString: 'x', playerId: 2001, at: 1795656159147, warId: 1234567890123456, route: '/api/war' },
      'TornCat listening on http://127.0.0.1:8080',
    );
    const line = JSON.parse(out[0]);
    assert.equal(line.connectionString, 'x');
    assert.equal(line.at, 1795656159147);
    assert.equal(line.warId, 1234567890123456);
    assert.equal(line.msg, 'TornCat listening on http://127.0.0.1:8080');
  });
});

describe('log format', () => {
  test('pretty: readable lines, not JSON, scrubbed the same way', async () => {
    const { log, lines } = captured('pretty', 'info');
    log.info({ playerId: 2001 }, `member signed in with ${KEY}`);
    await settle();
    assert.equal(lines.length >= 1, true);
    const text = lines.join('\n');
    assert.ok(!text.trimStart().startsWith('{'), text);
    assert.match(text, /INFO/);
    assert.match(text, /member signed in with \*\*\*/);
    assert.match(text, /playerId: 2001/);
    assert.ok(!text.includes(KEY));
  });

  test('json: one JSON object a line', () => {
    const { log, lines } = captured('json', 'info');
    log.info({ playerId: 2001 }, 'member signed in');
    assert.deepEqual(
      { ...JSON.parse(lines[0]), time: 0 },
      { level: 30, time: 0, service: 'torncat', playerId: 2001, msg: 'member signed in' },
    );
  });

  test(
    'unforced, output that is not a terminal gets JSON',
    { skip: process.stdout.isTTY ? 'standard output is a terminal here' : false },
    () => {
      const { log, lines } = captured(undefined, 'info');
      log.info('hello');
      assert.equal(JSON.parse(lines[0]).msg, 'hello');
    },
  );

  test('pretty where pino-pretty is not installed (the production image): JSON, and one line saying why', async () => {
    // A process whose require() cannot find pino-pretty, as in an install without dev dependencies.
    const script = `import Module from 'node:module';
      const resolve = Module._resolveFilename;
      Module._resolveFilename = function (request, ...rest) {
        if (request === 'pino-pretty') throw Object.assign(new Error("Cannot find module 'pino-pretty'"), { code: 'MODULE_NOT_FOUND' });
        return resolve.call(this, request, ...rest);
      };
      const { createLogger } = await import(${JSON.stringify(new URL('../../src/log.ts', import.meta.url).href)});
      createLogger('info', { format: 'pretty' }).info('hello');`;
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      env: { ...process.env, NODE_ENV: 'production' },
    });
    const lines = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { level: number; msg: string });
    assert.deepEqual(
      lines.map((l) => [l.level, l.msg.replace(/\(.*/, '')]),
      [
        [40, 'LOG_FORMAT=pretty, but pino-pretty is not installed '],
        [30, 'hello'],
      ],
    );
  });

  test('LOG_FORMAT is json, pretty or unset; anything else stops the start with a message naming it', () => {
    const env = { DATABASE_URL: 'memory://' };
    assert.equal(loadConfig(env).logFormat, undefined);
    assert.equal(loadConfig({ ...env, LOG_FORMAT: 'json' }).logFormat, 'json');
    assert.equal(loadConfig({ ...env, LOG_FORMAT: 'pretty' }).logFormat, 'pretty');
    assert.throws(
      () => loadConfig({ ...env, LOG_FORMAT: 'xml' }),
      (e: unknown) => e instanceof ConfigError && /^LOG_FORMAT must be json or pretty, got "xml"/.test(e.message),
    );
  });
});

describe('the lines `torncat serve` writes itself', () => {
  const cli = fileURLToPath(new URL('../../src/cli.ts', import.meta.url));

  test('the start names the address really bound, and every line to the shutdown is JSON', async () => {
    const server = await startServerProcess({ DATABASE_URL: 'memory://', HOST: '0.0.0.0', LOG_FORMAT: 'json' });
    const start = server.logs.find((l) => /listening on/.test(l.msg));
    assert.ok(start);
    const port = new URL(server.url).port;
    assert.equal(start.msg, `TornCat listening on http://0.0.0.0:${port} (every address of this machine; from here: http://127.0.0.1:${port})`);
    assert.equal(start.address, '0.0.0.0');
    await server.stop();
    assert.ok(server.logs.some((l) => l.msg === 'SIGTERM: shutting down' && l.level === 30));
    assert.equal(server.stderr, '', 'no line that is not JSON');
  });

  test('a database that cannot be reached at start: one line naming it and what to check, no stack trace', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r)); // nothing listens there now
    const r = await promisify(execFile)(process.execPath, ['--import', 'tsx', cli, 'serve'], {
      env: {
        ...process.env,
        PORT: '0',
        LOG_FORMAT: 'json',
        DATABASE_URL: `postgres://torncat:pass-word@127.0.0.1:${port}/torncat`,
        TORNCAT_SECRET: 'a-secret-of-32-characters-or-more-0123456789',
      },
    }).then(
      () => assert.fail('serve started without its database'),
      (e: { code: number; stdout: string; stderr: string }) => e,
    );
    assert.equal(r.code, 1);
    assert.equal(r.stderr, '');
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines.length, 1, r.stdout);
    const line = JSON.parse(lines[0]) as { level: number; msg: string; err?: unknown };
    assert.equal(line.level, 60);
    assert.equal(line.err, undefined, 'no error object, no stack');
    assert.match(line.msg, new RegExp(`^cannot reach the database at 127\\.0\\.0\\.1:${port} \\(ECONNREFUSED: .*\\): check that PostgreSQL runs there`));
    assert.ok(!r.stdout.includes('pass-word'));
  });
});

describe('what the start says when the database refuses it', () => {
  /** The error opening `url` and running one query gives, in the words an operator reads. */
  async function failure(url: string): Promise<string | null> {
    const db = await openPgDatabase(url).catch((e: unknown) => e);
    if (!(db && typeof db === 'object' && 'query' in db)) return describeConnectionFailure(url, db);
    try {
      await (db as Database).query('select 1');
      return 'opened';
    } catch (e) {
      return describeConnectionFailure(url, e);
    } finally {
      await (db as Database).close().catch(() => {});
    }
  }
  const server = new URL(PG_ADMIN_URL);

  test('a role the server does not know: check the user and password', async (t) => {
    if (!(await backends()).some((b) => b.name === 'postgres')) return t.skip('no PostgreSQL server');
    const url = new URL(PG_ADMIN_URL);
    url.username = 'torncat_no_such_role';
    assert.match((await failure(url.href)) ?? '', new RegExp(`^the database server at ${server.hostname}:${server.port || 5432} refused user "torncat_no_such_role" \\(28000: .*\\): check the user and password in DATABASE_URL$`));
  });

  test('a database that does not exist: create it or correct its name', async (t) => {
    if (!(await backends()).some((b) => b.name === 'postgres')) return t.skip('no PostgreSQL server');
    const url = new URL(PG_ADMIN_URL);
    url.pathname = '/torncat_no_such_database';
    assert.match((await failure(url.href)) ?? '', /^the database "torncat_no_such_database" does not exist on .* \(3D000: .*\): create it/);
  });

  test('anything else is not described as a connection problem', () => {
    assert.equal(describeConnectionFailure('postgres://u@h/db', new Error('syntax error at or near "selec"')), null);
  });
});
