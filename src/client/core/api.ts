import type { ForgetKeyResponse, SignInResponse, SignOutResponse } from '../../protocol/auth.js';
import type { CallOp, CallsResponse } from '../../protocol/call.js';
import type { ErrorBody } from '../../protocol/error-body.js';
import type { EventName, LongPollResponse } from '../../protocol/events.js';
import type { Snapshot } from '../../protocol/snapshot.js';
import type { WarReport } from '../../protocol/report.js';
import { EdgeFunctionCache } from './edge-function-cache.js';
import type { Http } from './http/http.js';
import type { DiscordAction, DiscordStatus } from '../../protocol/discord.js';

/** An error answer of the API (`{"error":{"code","message"}}`) or a transport failure (status 0). */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Which cached reads each realtime event makes stale. */
const INVALIDATE_ON: Record<EventName, string[]> = {
  target_call: ['war'],
  target_status: ['war'],
  war_summary: ['war'],
  war: ['war'],
  war_score: ['war'],
  chain: ['war'],
  target_mark: ['war'],
  assist: ['war'],
  watch: ['war'],
  enemy_chain: ['war'],
  sync_status: ['war'],
  reset: ['war'],
};

/**
 * TornCat's HTTP functions (and the long-poll) over whichever Http the page allows, with the
 * snapshot read through EdgeFunctionCache: concurrent readers share one request, and any event or
 * call of ours makes it stale.
 */
export class TornCatApi {
  readonly cache: EdgeFunctionCache;
  readonly #token: () => string | null;

  constructor(
    readonly base: string,
    readonly http: Http,
    token: () => string | null,
    cacheTtlMs = 2000,
  ) {
    this.#token = token;
    this.cache = new EdgeFunctionCache({ ttlMs: cacheTtlMs, staleMs: 0, invalidateOn: INVALIDATE_ON });
  }

  /** Sends a request with the session's token in the Authorization header; an error answer throws ApiError. */
  async #send(method: string, path: string, accept: string, body?: unknown, signal?: AbortSignal): Promise<string> {
    const headers: Record<string, string> = { accept };
    const token = this.#token();
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let answer;
    try {
      answer = await this.http.request(method, this.base + path, headers, body === undefined ? undefined : JSON.stringify(body), signal);
    } catch (e) {
      if ((e as Error).name === 'AbortError') throw e;
      throw new ApiError(0, 'network_error', `Cannot reach the TornCat server at ${this.base}`);
    }
    if (answer.status < 200 || answer.status >= 300) {
      let err: Partial<ErrorBody>['error'];
      try {
        err = (JSON.parse(answer.text) as Partial<ErrorBody> | null)?.error;
      } catch {
        err = undefined;
      }
      throw new ApiError(answer.status, err?.code ?? 'http_error', err?.message ?? `HTTP ${answer.status} from ${path}`);
    }
    return answer.text;
  }

  async #json<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    const text = await this.#send(method, path, 'application/json', body, signal);
    try {
      return (text ? JSON.parse(text) : null) as T;
    } catch {
      return null as T;
    }
  }

  signIn(apiKey: string): Promise<SignInResponse> {
    return this.#json('POST', '/api/auth', { apiKey });
  }

  // Sign-out and forget-my-key use the POST aliases of DELETE /api/auth and DELETE /api/keys/me:
  // TornPDA's handlers cannot send DELETE, and one route for every manager is simpler.
  signOut(): Promise<SignOutResponse> {
    return this.#json('POST', '/api/auth/sign-out');
  }

  /** Deletes every stored key of the member and ends all their sessions, this one included. */
  forgetKey(): Promise<ForgetKeyResponse> {
    return this.#json('POST', '/api/keys/me/forget');
  }

  /** How each member's calls went in one war (the faction's own wars only). */
  report(warId: number): Promise<WarReport> {
    return this.#json('GET', `/api/wars/${warId}/report`);
  }

  /**
   * The war report as a file's text (`csv` or `json`), read with the token in the header like every
   * other call, so a download never puts the token in a URL.
   */
  reportFile(warId: number, format: 'csv' | 'json'): Promise<string> {
    return this.#send('GET', `/api/wars/${warId}/report.${format}`, format === 'csv' ? 'text/csv' : 'application/json');
  }

  /** The faction's Discord webhook: its status, or set, test or remove it (positions that may mark). */
  async discord(a: DiscordAction): Promise<DiscordStatus | null> {
    const path = '/api/discord/webhook';
    if (a.action === 'status') return this.#json('GET', path);
    if (a.action === 'set') return this.#json('POST', path, { url: a.url });
    if (a.action === 'remove') return this.#json('DELETE', path);
    await this.#json('POST', `${path}/test`);
    return null;
  }

  /** GET /api/war, shared by concurrent callers and cached briefly (until an event makes it stale). */
  snapshot(options: { maxAgeMs?: number } = {}): Promise<Snapshot> {
    return this.cache.get('war', () => this.#json<Snapshot>('GET', '/api/war'), { ttlMs: options.maxAgeMs });
  }

  async calls(ops: CallOp[]): Promise<CallsResponse> {
    const out = await this.#json<CallsResponse>('POST', '/api/calls', { ops });
    this.cache.onEvent('target_call');
    return out;
  }

  events(since: number, waitS: number, signal?: AbortSignal): Promise<LongPollResponse> {
    return this.#json('GET', `/api/events?since=${since}&wait=${waitS}`, undefined, signal);
  }
}
