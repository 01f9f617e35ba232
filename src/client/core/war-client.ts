import { backoffDelay, type BackoffOptions } from '../../backoff.js';
import type { SignInResponse } from '../../protocol/auth.js';
import type { CallOp, CallOpResult } from '../../protocol/call.js';
import type { WarReport } from '../../protocol/report.js';
import type { RungName } from '../../protocol/userscript-config.js';
import { ApiError, TornCatApi } from './api.js';
import { EventPump } from './event-pump.js';
import type { Http } from './http/http.js';
import { Ladder, type LadderMemory, type RememberedRungs, type RungState } from './ladder.js';
import { sleep } from './sleep.js';
import { isApiKey, Session } from './session.js';
import type { Store } from './storage.js';
import { transportsFor } from './transports/transports-for.js';
import { WarState } from './war-state.js';
import type { DiscordAction, DiscordStatus } from '../../protocol/discord.js';

/** What a client shows; the board and the userscript panel each draw it their way. */
export interface WarView {
  /** The model changed (called at most once per microtask). */
  render(state: WarState): void;
  /** Once a second: the countdowns. */
  tick(state: WarState): void;
  error(text: string): void;
  info(text: string): void;
  clearMessage(): void;
  /** The transport in use and how it is; null: none (signed out, or the snapshot cannot be read). */
  rung(name: RungName | null, state: RungState, note?: string): void;
  /** `who` as `describe` named the member, absent for a session kept without it. */
  signedIn(who: string | undefined): void;
  signedOut(): void;
}

export interface WarClientOptions {
  /** The TornCat server's base URL, no trailing slash. */
  server: string;
  http: Http;
  store: Store;
  /** The transports to climb down, best first. */
  rungs: readonly RungName[];
  /** How the view names the member once signed in, e.g. `MadRook [2001] of TornCat Demo`. */
  describe(answer: SignInResponse): string;
  /** How long a snapshot read may be answered from the cache, in ms. @default 2000 */
  cacheTtlMs?: number;
  /** The polling rung's interval during a war, in ms. @default 5000 */
  syncIntervalMs?: number;
  /** The polling rung's interval without a war, in ms. @default 60000 */
  warCheckIntervalMs?: number;
}

const RUNG_KEY = 'torncat.rung';
/** What the ladder remembers, per server, Http (manager) and page origin: see Ladder. */
const LADDER_KEY = 'torncat.ladder';

function ladderMemory(store: Store, key: string): LadderMemory {
  return {
    load: () => {
      try {
        return (JSON.parse(store.get(key) ?? '{}') as RememberedRungs | null) ?? {};
      } catch {
        return {};
      }
    },
    save: (m) => store.set(key, JSON.stringify(m)),
  };
}
/** Re-reading the snapshot when it fails (server down, network gone): 1–2 s, doubling, up to 30 s. */
const CONNECT_RETRY: BackoffOptions = { baseMs: 2000, maxMs: 30_000 };

/**
 * The client core both views stand on: the session, the snapshot and the events after it over the
 * transport ladder, calls and releases shown before the server answers, and the once-a-second tick.
 * A view calls its methods for what the member does and gets everything to show through WarView.
 */
export class WarClient {
  readonly state = new WarState();
  readonly #api: TornCatApi;
  readonly #session: Session;
  readonly #store: Store;
  readonly #describe: (answer: SignInResponse) => string;
  readonly #pump: EventPump;
  readonly #ladder: Ladder;
  #view: WarView | undefined;
  /** Bumped by every sign-in and sign-out: a connect loop of an older session stops. */
  #generation = 0;
  #renderQueued = false;

  constructor(o: WarClientOptions) {
    this.#store = o.store;
    this.#session = new Session(o.store);
    this.#describe = o.describe;
    this.#api = new TornCatApi(o.server, o.http, () => this.#session.token, o.cacheTtlMs);
    this.#pump = new EventPump({ api: this.#api, state: this.state, render: () => this.#render(), error: (m) => this.#view?.error(m) });
    const transports = transportsFor(o.rungs, {
      api: this.#api,
      server: o.server,
      token: () => this.#session.token,
      lastSeq: () => this.state.seq,
      deliver: (events) => this.#pump.push(...events),
      snapshot: (s) => {
        if (s.seq !== this.state.seq || !this.state.loaded) this.state.loadSnapshot(s);
        this.#render();
      },
      atWar: () => !!this.state.war?.active,
      syncIntervalMs: o.syncIntervalMs ?? 5000,
      warCheckIntervalMs: o.warCheckIntervalMs ?? 60_000,
    });
    this.#ladder = new Ladder(
      {
        rung: (name, state, note) => this.#view?.rung(name, state, note),
        authLost: (message) => this.#signedOut(message),
      },
      transports,
      {
        memory: ladderMemory(o.store, `${LADDER_KEY}:${o.server}|${o.http.name}|${typeof location === 'undefined' ? '' : location.origin}`),
      },
    );
  }

  get rungs(): RungName[] {
    return this.#ladder.rungs;
  }

  /** The rung chosen in the settings, or null for the automatic ladder. */
  get forcedRung(): RungName | null {
    const stored = this.#store.get(RUNG_KEY);
    return this.rungs.find((r) => r === stored) ?? null;
  }

  /** Shows the board in `view`: resumes the stored session, if any, and ticks the countdowns. */
  start(view: WarView): void {
    this.#view = view;
    setInterval(() => view.tick(this.state), 1000);
    if (this.#session.token) {
      view.signedIn(this.#session.who);
      void this.#connect();
    } else {
      view.signedOut();
    }
  }

  /** Signs in with a Torn API key; false (and a message) when it cannot be one, without asking the server. */
  signIn(apiKey: string): boolean {
    const key = apiKey.trim();
    if (!isApiKey(key)) {
      this.#view?.error('A Torn API key is 16 letters and digits');
      return false;
    }
    this.#view?.info('Signing in…');
    this.#api.signIn(key).then(
      (a) => {
        const who = this.#describe(a);
        this.#session.begin(a.token, who);
        // A new session streams afresh: nothing of the old one's connections is reused.
        void this.#ladder.stop();
        this.#api.cache.clear();
        this.#view?.clearMessage();
        this.#view?.signedIn(who);
        void this.#connect();
      },
      (e: Error) => this.#view?.error(`Sign-in failed: ${e.message}`),
    );
    return true;
  }

  signOut(): void {
    const answer = this.#session.token ? this.#api.signOut() : null;
    // The token is forgotten here whatever the server says; what it says only words the message.
    this.#signedOut();
    this.#view?.info('Signed out.');
    if (!answer) return;
    const generation = this.#generation;
    answer.then(
      (a) => {
        if (generation !== this.#generation) return;
        this.#view?.info(
          a.keyStored
            ? 'Signed out here. Your key stays stored and in use while you are signed in elsewhere: “Forget my key” removes it everywhere.'
            : 'Signed out. The server no longer stores your API key.',
        );
      },
      (e: Error) => {
        if (generation !== this.#generation || (e instanceof ApiError && e.status === 401)) return;
        this.#view?.error(
          `Signed out here, but the server did not hear it (${e.message}): your key stays in use until this session expires. ` +
            'Sign in again and use “Forget my key” to remove it now.',
        );
      },
    );
  }

  /**
   * Asks the server to delete every stored key of the member and end all their sessions. Only once it
   * has (or the session was already gone) does the client sign out; otherwise it says the key is still there.
   */
  forgetKey(): void {
    if (!this.#session.token) return;
    const generation = this.#generation;
    this.#view?.info('Forgetting your key…');
    this.#ladder
      .whilePaused(() => this.#api.forgetKey())
      .then(
        (a) => {
          if (generation !== this.#generation) return;
          this.#signedOut();
          const sessions = a.sessionsEnded > 1 ? `all ${a.sessionsEnded} of your sessions` : 'your session';
          this.#view?.info(`The server deleted your API key and ended ${sessions}: it no longer stores or uses your key.`);
        },
        (e: Error) => {
          if (generation !== this.#generation) return;
          if (e instanceof ApiError && e.status === 401) {
            this.#signedOut();
            this.#view?.info('Your session had already ended. The server deletes your key when your last session ends.');
          } else {
            this.#view?.error(`Could not forget your key: ${e.message}. It is still stored; try again.`);
          }
        },
      );
  }

  /**
   * Calls or releases a target. The row changes at once; the request goes out (pausing a transport
   * that holds the Http); the server's answer then stands, and a refusal or failure rolls the row
   * back and says why. Resolves to whether the server did it.
   */
  toggleCall(targetId: number, op: 'call' | 'release'): Promise<boolean> {
    if (this.state.isPending(targetId)) return Promise.resolve(false);
    const rollBack = this.state.propose(targetId, op);
    this.#render();
    return this.#send({ op, targetId }, (r) => this.state.settle(targetId, op, r.call)).finally(() => {
      rollBack();
      this.#render();
    });
  }

  /**
   * Any member command (call, release, watch, unwatch, mark, unmark, assist) over the same batched
   * POST /api/calls. A watch or unwatch shows at once and is taken back if the server refuses it; the
   * others show when the server answers (a mark by a member without the position is refused with
   * `not_allowed`, and the view says so). Resolves to whether the server did it.
   */
  sendOp(op: CallOp): Promise<boolean> {
    if (op.op === 'call' || op.op === 'release') return this.toggleCall(op.targetId, op.op);
    let rollBack = () => {};
    if (op.op === 'watch' || op.op === 'unwatch') {
      const was = this.state.watches.has(op.targetId);
      if (op.op === 'watch') this.state.watches.add(op.targetId);
      else this.state.watches.delete(op.targetId);
      rollBack = () => {
        if (was) this.state.watches.add(op.targetId);
        else this.state.watches.delete(op.targetId);
      };
      this.#render();
    }
    return this.#send(op, (r) => this.state.settleOp(op, r)).then((done) => {
      if (!done) rollBack();
      this.#render();
      return done;
    });
  }

  /** The faction's Discord webhook (GET, POST, DELETE /api/discord/webhook, POST .../test). */
  discord(a: DiscordAction): Promise<DiscordStatus | null> {
    return this.#api.discord(a);
  }

  /** How each member's calls went in one of the faction's wars (GET /api/wars/{id}/report). */
  report(warId: number): Promise<WarReport> {
    return this.#api.report(warId);
  }

  /** The same report as a CSV or JSON file's text, for the board's downloads. */
  reportFile(warId: number, format: 'csv' | 'json'): Promise<string> {
    return this.#api.reportFile(warId, format);
  }

  /** One operation to the server; `settle` gets its result when done. Refusals and failures are said in the view. */
  #send(op: CallOp, settle: (r: Extract<CallOpResult, { ok: true }>) => void): Promise<boolean> {
    return this.#ladder
      .whilePaused(() => this.#api.calls([op]))
      .then(
        ({ results }) => {
          const r = results[0];
          if (r?.ok) {
            this.#view?.clearMessage();
            settle(r);
            return true;
          }
          if (r) this.#view?.error(r.error.message);
          return false;
        },
        (e: Error) => {
          if (e instanceof ApiError && e.status === 401) this.#signedOut(e.message);
          else this.#view?.error(`Could not ${op.op}: ${e.message}`);
          return false;
        },
      );
  }

  /** Keeps to one rung (null: the automatic ladder), now and on later visits. */
  chooseRung(rung: RungName | null): void {
    this.#store.set(RUNG_KEY, rung);
    this.#ladder.force(rung);
  }

  /** Reads the snapshot (retrying with back-off while the server cannot answer), then starts the ladder from its seq. */
  async #connect(): Promise<void> {
    const generation = ++this.#generation;
    for (let attempt = 0; generation === this.#generation && this.#session.token; attempt++) {
      try {
        await this.#pump.loadSnapshot();
        if (generation !== this.#generation) return;
        this.#view?.clearMessage();
        this.#render();
        this.#ladder.start(this.forcedRung);
        return;
      } catch (e) {
        if (generation !== this.#generation) return;
        if (e instanceof ApiError && (e.status === 401 || e.status === 403)) return this.#signedOut(e.message);
        this.#view?.error(`${(e as Error).message} (retrying)`);
        this.#view?.rung(null, 'down');
        await sleep(backoffDelay(attempt, CONNECT_RETRY));
      }
    }
  }

  #signedOut(message?: string): void {
    this.#generation++;
    this.#session.end();
    void this.#ladder.stop();
    this.#pump.clear();
    this.#api.cache.clear();
    this.#view?.signedOut();
    if (message) this.#view?.error(message);
  }

  #render(): void {
    if (this.#renderQueued) return;
    this.#renderQueued = true;
    queueMicrotask(() => {
      this.#renderQueued = false;
      if (this.#view) this.#view.render(this.state);
    });
  }
}
