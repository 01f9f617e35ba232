// The only code that talks HTTP to Torn. It knows URLs, parameters and answer shapes; it knows
// nothing of key pools, budgets or retries, which belong to its callers and decide from
// `TornApiError.kind`.
import { readFileSync } from 'node:fs';
import { get as httpGet } from 'node:http';
import { get as httpsGet } from 'node:https';
import { z } from 'zod';
import { redactKey } from './redact.js';
import { TornApiError, type TornErrorKind } from './torn-error.js';
import type {
  FactionBasicV1Response,
  FactionChainReportResponse,
  FactionRankedWarReportResponse,
  FactionMembersAndChainResponse,
  FactionMembersAndWarsResponse,
  FactionMembersResponse,
  FactionOngoingChainResponse,
  FactionRankedWarResponse,
  FactionRankedWarsV1Response,
  FactionWarsResponse,
  Identity,
  KeyInfoResponse,
  TimestampResponse,
  UserBasicResponse,
  UserProfileV1Response,
} from './types.js';

/** Torn shows this in the key owner's API log, so members can see which tool used their key. */
export const TORN_COMMENT = 'torncat';

function packageVersion(): string {
  try {
    // src/torn/ and dist/torn/ alike sit two folders below package.json.
    return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/** Names the tool and its version in every request, so Torn's staff can tell who is calling. */
export const TORN_USER_AGENT = `TornCat/${packageVersion()}`;

export interface TornRequestEvent {
  /** Low-cardinality label such as `v2/faction/{id}/members`: safe as a Prometheus label. */
  endpoint: string;
  outcome: 'ok' | TornErrorKind;
  ms: number;
}

export interface TornClientOptions {
  /** TORN_API_URL, e.g. `https://api.torn.com` or the simulator's `http://127.0.0.1:8090`. */
  baseUrl: string;
  /**
   * Whole-request limit (connect, headers and body).
   * @default 10000
   */
  timeoutMs?: number;
  /** Called once per request, success or failure, e.g. to feed Prometheus. Must not throw. */
  onRequest?: (e: TornRequestEvent) => void;
  /**
   * The local address requests leave from (TORN_LOCAL_ADDRESS), on a machine with several: Torn
   * counts requests per address. @default the system's choice
   */
  localAddress?: string;
  /** Awaited before each request is sent (the server counts members' requests in the address's budget); what it throws, the request throws. */
  beforeRequest?: () => Promise<unknown>;
}

export interface RequestOptions {
  /**
   * Adds `timestamp=<now>`, which Torn documents as the way to bypass its ~29 s response cache.
   * Use it only where a stale answer is wrong (sign-in), never to dodge the cache in polling.
   */
  fresh?: boolean;
}

export interface TornClient {
  readonly baseUrl: string;
  keyInfo(key: string, opts?: RequestOptions): Promise<KeyInfoResponse>;
  userBasic(key: string, opts?: RequestOptions): Promise<UserBasicResponse>;
  userProfileV1(key: string, opts?: RequestOptions): Promise<UserProfileV1Response>;
  /** The key owner's faction when `factionId` is omitted. */
  factionMembers(key: string, factionId?: number, opts?: RequestOptions): Promise<FactionMembersResponse>;
  /** The key owner's faction when `factionId` is omitted. */
  factionWars(key: string, factionId?: number, opts?: RequestOptions): Promise<FactionWarsResponse>;
  factionRankedWars(key: string, opts?: RequestOptions): Promise<FactionRankedWarResponse>;
  factionBasicV1(key: string, factionId?: number, opts?: RequestOptions): Promise<FactionBasicV1Response>;
  factionRankedWarsV1(key: string, opts?: RequestOptions): Promise<FactionRankedWarsV1Response>;
  /**
   * A faction's members and its wars in one request (`selections=members,wars`): during a war the
   * enemy's statuses and the ranked war's scores and chains come from the same answer.
   */
  factionMembersAndWars(key: string, factionId: number, opts?: RequestOptions): Promise<FactionMembersAndWarsResponse>;
  /** A faction's current chain (v2 `faction/{id}/chain`): current, max, timeout, cooldown, modifier. */
  factionChain(key: string, factionId: number, opts?: RequestOptions): Promise<FactionOngoingChainResponse>;
  /** A faction's members and its chain in one request (`selections=members,chain`). */
  factionMembersAndChain(key: string, factionId: number, opts?: RequestOptions): Promise<FactionMembersAndChainResponse>;
  /**
   * A chain report (v2, Public key): the key owner's faction's latest chain, the running one
   * included, when `chainId` is omitted; else that chain (a running one only for its own faction).
   */
  factionChainReport(key: string, chainId?: number, opts?: RequestOptions): Promise<FactionChainReportResponse>;
  /** Torn's report of an ended ranked war (v2 `faction/{rankedWarId}/rankedwarreport`, Public key). */
  rankedWarReport(key: string, warId: number, opts?: RequestOptions): Promise<FactionRankedWarReportResponse>;
  /** Torn's clock (v2 `torn/timestamp`), always asked fresh: a cached time is a wrong one. */
  tornTimestamp(key: string): Promise<TimestampResponse>;
  /** Who owns `key` and their faction (null when factionless): what sign-in needs. */
  identify(key: string, opts?: RequestOptions): Promise<Identity>;
}

// Only what we read is checked; everything else passes through untouched (loose objects), so a
// field Torn adds never breaks us, and a field we rely on going missing fails loudly here.
const id = z.number().int();
const status = z.looseObject({
  state: z.string(),
  description: z.string(),
  details: z.string().nullable(),
  color: z.string(),
  until: z.number().nullable(),
});
const lastAction = z.looseObject({ status: z.string(), timestamp: z.number() });
const member = { name: z.string(), level: z.number(), status, last_action: lastAction };
const chain = z.looseObject({
  current: z.number().int(),
  max: z.number().int(),
  timeout: z.number().int(),
  modifier: z.number(),
  cooldown: z.number().int(),
  start: z.number().int(),
  end: z.number().int(),
});
const chainReport = z.looseObject({
  id,
  faction_id: id,
  start: z.number().int(),
  end: z.number().int(),
  attackers: z.array(
    z.looseObject({
      id,
      respect: z.looseObject({ total: z.number() }),
      attacks: z.looseObject({ total: z.number().int(), war: z.number().int(), hospitalize: z.number().int() }),
    }),
  ),
  non_attackers: z.array(id),
});
const rankedWarReport = z.looseObject({
  id,
  factions: z.array(
    z.looseObject({ id, members: z.array(z.looseObject({ id, name: z.string(), attacks: z.number().int(), score: z.number() })) }),
  ),
});
const rankedWar = z.looseObject({
  war_id: id,
  start: z.number().int(),
  end: z.number().int().nullable(),
  factions: z.array(z.looseObject({ id, name: z.string(), score: z.number() })),
});

const schemas = {
  keyInfo: z.looseObject({
    info: z.looseObject({
      user: z.looseObject({ id, faction_id: id.nullable() }),
      access: z.looseObject({ level: z.number(), type: z.string() }),
    }),
  }),
  userBasic: z.looseObject({ profile: z.looseObject({ id, name: z.string(), level: z.number(), status }) }),
  userProfileV1: z.looseObject({
    player_id: id,
    name: z.string(),
    level: z.number(),
    faction: z.looseObject({ faction_id: id, faction_name: z.string(), position: z.string().optional() }),
  }),
  factionMembers: z.looseObject({ members: z.array(z.looseObject({ id, ...member })) }),
  factionWars: z.looseObject({ wars: z.looseObject({ ranked: rankedWar.nullable() }) }),
  factionRankedWars: z.looseObject({ rankedwars: z.array(z.looseObject({ id, factions: z.array(z.unknown()) })) }),
  factionBasicV1: z.looseObject({
    ID: id,
    name: z.string(),
    members: z.record(z.string(), z.looseObject(member)),
  }),
  factionRankedWarsV1: z.looseObject({ rankedwars: z.record(z.string(), z.unknown()) }),
  factionMembersAndWars: z.looseObject({
    members: z.array(z.looseObject({ id, ...member })),
    wars: z.looseObject({ ranked: rankedWar.nullable() }),
  }),
  factionChain: z.looseObject({ chain }),
  factionMembersAndChain: z.looseObject({ members: z.array(z.looseObject({ id, ...member })), chain }),
  tornTimestamp: z.looseObject({ timestamp: z.number().int() }),
  factionChainReport: z.looseObject({ chainreport: chainReport }),
  rankedWarReport: z.looseObject({ rankedwarreport: rankedWarReport }),
} as const;

const tornErrorBody = z.object({ error: z.looseObject({ code: z.number().int(), error: z.string().optional() }) });

function trimSlashes(url: string): string {
  return url.replace(/\/+$/, '');
}

function errnoOf(e: unknown): string | undefined {
  // undici reports "fetch failed" with the useful part (ECONNREFUSED, ENOTFOUND…) in `cause`.
  let cur: unknown = e;
  for (let depth = 0; cur && depth < 4; depth++) {
    const c = cur as { code?: unknown; cause?: unknown };
    if (typeof c.code === 'string') return c.code;
    cur = c.cause;
  }
  return undefined;
}

export function createTornClient(opts: TornClientOptions): TornClient {
  const baseUrl = trimSlashes(opts.baseUrl);
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const onRequest = opts.onRequest;
  try {
    new URL(baseUrl);
  } catch {
    throw new TypeError(`Torn API base URL is not a URL: ${redactKey(opts.baseUrl)}`);
  }
  if (!(timeoutMs > 0)) throw new TypeError(`timeoutMs must be a positive number, got ${timeoutMs}`);

  function report(endpoint: string, outcome: TornRequestEvent['outcome'], started: number): void {
    if (!onRequest) return;
    try {
      onRequest({ endpoint, outcome, ms: performance.now() - started });
    } catch {
      // Metrics must never turn a good answer into a failure.
    }
  }

  async function get<T>(
    endpoint: string,
    path: string,
    params: Record<string, string>,
    key: string,
    schema: z.ZodType,
    ro: RequestOptions | undefined,
  ): Promise<T> {
    const url = new URL(baseUrl + path);
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    url.searchParams.set('key', key);
    url.searchParams.set('comment', TORN_COMMENT);
    if (ro?.fresh) url.searchParams.set('timestamp', String(Math.floor(Date.now() / 1000)));

    await opts.beforeRequest?.();
    const started = performance.now();
    const fail = (init: Omit<ConstructorParameters<typeof TornApiError>[0], 'endpoint'>): never => {
      const err = new TornApiError({ ...init, endpoint });
      report(endpoint, err.kind, started);
      throw err;
    };

    // One timer for the whole exchange: a server that sends headers then stalls the body is as
    // stuck as one that never answers.
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    let status: number;
    let body: string;
    try {
      const headers = { accept: 'application/json', 'user-agent': TORN_USER_AGENT };
      if (opts.localAddress) {
        ({ status, body } = await getBound(url, headers, controller.signal, opts.localAddress));
      } else {
        const res = await fetch(url, { signal: controller.signal, headers });
        status = res.status;
        body = await res.text();
      }
    } catch (e) {
      if (controller.signal.aborted) {
        return fail({ kind: 'timeout', code: null, message: `Torn API ${endpoint}: no answer within ${timeoutMs} ms` });
      }
      const errno = errnoOf(e);
      // The message is ours, not undici's: its text or cause could carry the URL, and with it the key.
      return fail({
        kind: 'network',
        code: null,
        message: `Torn API ${endpoint}: network error${errno ? ` (${errno})` : ''} reaching ${url.host}`,
      });
    } finally {
      clearTimeout(timer);
    }

    if (status !== 200) {
      // Torn reports its own errors with HTTP 200; anything else is a proxy, a CDN or an outage.
      return fail({ kind: 'temporary', code: null, status, message: `Torn API ${endpoint}: HTTP ${status}` });
    }
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      return fail({ kind: 'temporary', code: null, status, message: `Torn API ${endpoint}: answer is not JSON` });
    }
    const tornError = tornErrorBody.safeParse(json);
    if (tornError.success) {
      const err = TornApiError.fromTorn(endpoint, tornError.data.error.code, tornError.data.error.error ?? '');
      report(endpoint, err.kind, started);
      throw err;
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const where = parsed.error.issues[0]?.path.join('.') || '(root)';
      return fail({
        kind: 'unknown',
        code: null,
        message: `Torn API ${endpoint}: unexpected answer shape at ${where}`,
      });
    }
    report(endpoint, 'ok', started);
    // The validated object is returned as Torn sent it: the schema checks, it does not reshape.
    return json as T;
  }

  const client: TornClient = {
    baseUrl,
    keyInfo: (key, ro) => get('v2/key/info', '/v2/key/info', {}, key, schemas.keyInfo, ro),
    userBasic: (key, ro) => get('v2/user/basic', '/v2/user/basic', {}, key, schemas.userBasic, ro),
    userProfileV1: (key, ro) => get('v1/user/profile', '/user/', { selections: 'profile' }, key, schemas.userProfileV1, ro),
    factionMembers: async (key, factionId, ro) =>
      factionId === undefined
        ? get('v2/faction/members', '/v2/faction/members', {}, key, schemas.factionMembers, ro)
        : get('v2/faction/{id}/members', `/v2/faction/${checkedId(factionId)}/members`, {}, key, schemas.factionMembers, ro),
    factionWars: async (key, factionId, ro) =>
      factionId === undefined
        ? get('v2/faction/wars', '/v2/faction/wars', {}, key, schemas.factionWars, ro)
        : get('v2/faction/{id}/wars', `/v2/faction/${checkedId(factionId)}/wars`, {}, key, schemas.factionWars, ro),
    factionRankedWars: (key, ro) => get('v2/faction/rankedwars', '/v2/faction/rankedwars', {}, key, schemas.factionRankedWars, ro),
    factionBasicV1: async (key, factionId, ro) =>
      get(
        factionId === undefined ? 'v1/faction/basic' : 'v1/faction/{id}/basic',
        factionId === undefined ? '/faction/' : `/faction/${checkedId(factionId)}`,
        { selections: 'basic' },
        key,
        schemas.factionBasicV1,
        ro,
      ),
    factionRankedWarsV1: (key, ro) =>
      get('v1/faction/rankedwars', '/faction/', { selections: 'rankedwars' }, key, schemas.factionRankedWarsV1, ro),
    // The spec's `/faction` takes several selections with `id`; no path form combines them.
    factionMembersAndWars: async (key, factionId, ro) =>
      get(
        'v2/faction/{id}?selections=members,wars',
        '/v2/faction',
        { id: String(checkedId(factionId)), selections: 'members,wars' },
        key,
        schemas.factionMembersAndWars,
        ro,
      ),
    factionChain: async (key, factionId, ro) =>
      get('v2/faction/{id}/chain', `/v2/faction/${checkedId(factionId)}/chain`, {}, key, schemas.factionChain, ro),
    factionMembersAndChain: async (key, factionId, ro) =>
      get(
        'v2/faction/{id}?selections=members,chain',
        '/v2/faction',
        { id: String(checkedId(factionId)), selections: 'members,chain' },
        key,
        schemas.factionMembersAndChain,
        ro,
      ),
    factionChainReport: async (key, chainId, ro) =>
      chainId === undefined
        ? get('v2/faction/chainreport', '/v2/faction/chainreport', {}, key, schemas.factionChainReport, ro)
        : get('v2/faction/{chainId}/chainreport', `/v2/faction/${checkedId(chainId)}/chainreport`, {}, key, schemas.factionChainReport, ro),
    rankedWarReport: async (key, warId, ro) =>
      get(
        'v2/faction/{rankedWarId}/rankedwarreport',
        `/v2/faction/${checkedId(warId)}/rankedwarreport`,
        {},
        key,
        schemas.rankedWarReport,
        ro,
      ),
    tornTimestamp: (key) => get('v2/torn/timestamp', '/v2/torn/timestamp', {}, key, schemas.tornTimestamp, { fresh: true }),

    // v2 key/info gives the player and faction ids and what the key may read; no v2 endpoint the
    // simulator serves gives the faction's name (faction/basic is not among them, and wars only
    // name factions that are at war), while v1 profile gives name, level and faction name in one
    // call. So: key/info + v1 profile, two requests for a once-per-member sign-in; the profile only
    // once key/info accepted the key, so a bad key costs Torn one request, not two.
    async identify(key, ro) {
      const info = await client.keyInfo(key, ro);
      const profile = await client.userProfileV1(key, ro);
      const factionId = info.info.user.faction_id ?? 0;
      const v1FactionId = profile.faction.faction_id;
      // The two answers can straddle a faction change; trust neither half of a mixed answer.
      if (info.info.user.id !== profile.player_id || (factionId || 0) !== (v1FactionId || 0)) {
        throw new TornApiError({
          kind: 'temporary',
          code: null,
          endpoint: 'identify',
          message: 'Torn API identify: key/info and user profile disagree; try again',
        });
      }
      return {
        player: { id: profile.player_id, name: profile.name, level: profile.level },
        faction:
          v1FactionId > 0 ? { id: v1FactionId, name: profile.faction.faction_name, position: profile.faction.position || null } : null,
        access: { level: info.info.access.level, type: info.info.access.type },
      };
    },
  };
  return Object.freeze(client);
}

/** A GET whose socket is bound to `localAddress` (fetch cannot choose its source address). */
function getBound(
  url: URL,
  headers: Record<string, string>,
  signal: AbortSignal,
  localAddress: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = (url.protocol === 'https:' ? httpsGet : httpGet)(url, { headers, signal, localAddress }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

function checkedId(n: number): number {
  // An id goes into the URL path: refuse anything that is not a plain positive integer.
  if (!Number.isSafeInteger(n) || n <= 0) throw new TypeError(`an id must be a positive integer, got ${n}`);
  return n;
}
