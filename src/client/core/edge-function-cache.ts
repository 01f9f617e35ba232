/**
 * EdgeFunctionCache (the seed's name): the client-side cache in front of TornCat's HTTP functions,
 * used by the userscripts and the dashboard. Browser-safe (no Node APIs): it is bundled into them.
 *
 * - TTL: a value younger than `ttlMs` is answered from memory.
 * - In-flight de-duplication: callers asking for a key while it is being fetched share that one request.
 * - Stale-while-revalidate: a value past its TTL but within `staleMs` more is answered at once while
 *   one background fetch refreshes it; a failed refresh keeps the stale value (until it is too old).
 * - Invalidation, by key, by prefix, or by a realtime event (`onEvent('target_call')` drops what
 *   `invalidateOn.target_call` names). A fetch that was already running when its key was invalidated
 *   may predate the change: its answer goes to the callers that asked for it but is never cached,
 *   and later callers start a fresh fetch instead of joining it.
 */
export interface EdgeFunctionCacheOptions {
  /** How long a value is fresh, in ms. @default 5000 */
  ttlMs?: number;
  /** How long past its TTL a value may still be served while it is refreshed, in ms. @default 30000 */
  staleMs?: number;
  /** Entries kept at most; the least recently used goes first. @default 100 */
  maxEntries?: number;
  /** Event name → key prefixes it invalidates, e.g. `{ target_call: ['war', 'calls'] }`. @default {} */
  invalidateOn?: Record<string, readonly string[]>;
  /** The clock, in ms (tests inject a fake one). @default Date.now */
  now?: () => number;
  /** Told when a background refresh fails (the stale value is kept). */
  onRefreshError?: (key: string, error: unknown) => void;
}

export interface GetOptions {
  ttlMs?: number;
  staleMs?: number;
}

export interface CacheStats {
  /** Answered fresh from memory. */
  hits: number;
  /** Answered stale from memory while a refresh ran. */
  staleHits: number;
  /** Joined a request already in flight. */
  shared: number;
  /** Fetches started (foreground and background). */
  fetches: number;
  /** Keys dropped by invalidate/onEvent. */
  invalidations: number;
}

interface Entry {
  value?: unknown;
  /** When the value was fetched (ms); undefined while there is none. */
  storedAt?: number;
  ttlMs: number;
  staleMs: number;
  inflight?: Promise<unknown>;
  /** Bumped by invalidation: a fetch started under an older generation is not stored. */
  generation: number;
}

export class EdgeFunctionCache {
  readonly #entries = new Map<string, Entry>();
  readonly #ttlMs: number;
  readonly #staleMs: number;
  readonly #maxEntries: number;
  readonly #invalidateOn: Record<string, readonly string[]>;
  readonly #now: () => number;
  readonly #onRefreshError: ((key: string, error: unknown) => void) | undefined;
  readonly stats: CacheStats = { hits: 0, staleHits: 0, shared: 0, fetches: 0, invalidations: 0 };

  constructor(options: EdgeFunctionCacheOptions = {}) {
    this.#ttlMs = options.ttlMs ?? 5000;
    this.#staleMs = options.staleMs ?? 30000;
    this.#maxEntries = options.maxEntries ?? 100;
    this.#invalidateOn = options.invalidateOn ?? {};
    this.#now = options.now ?? Date.now;
    this.#onRefreshError = options.onRefreshError;
  }

  /** The value of `key`: from memory when fresh (or stale, refreshing it behind), else from `fetcher`, shared with concurrent callers. */
  get<T>(key: string, fetcher: () => Promise<T>, options: GetOptions = {}): Promise<T> {
    const now = this.#now();
    let e = this.#entries.get(key);
    if (e) {
      // Most recently used last, so the first key is the one to evict.
      this.#entries.delete(key);
      this.#entries.set(key, e);
      e.ttlMs = options.ttlMs ?? e.ttlMs;
      e.staleMs = options.staleMs ?? e.staleMs;
      if (e.storedAt !== undefined) {
        const age = now - e.storedAt;
        if (age < e.ttlMs) {
          this.stats.hits++;
          return Promise.resolve(e.value as T);
        }
        if (age < e.ttlMs + e.staleMs) {
          this.stats.staleHits++;
          if (!e.inflight) this.#fetch(key, e, fetcher).catch((err) => this.#onRefreshError?.(key, err));
          return Promise.resolve(e.value as T);
        }
        // Too old to serve at all.
        e.value = undefined;
        e.storedAt = undefined;
      }
      if (e.inflight) {
        this.stats.shared++;
        return e.inflight as Promise<T>;
      }
    } else {
      e = { ttlMs: options.ttlMs ?? this.#ttlMs, staleMs: options.staleMs ?? this.#staleMs, generation: 0 };
      this.#entries.set(key, e);
      this.#evict();
    }
    return this.#fetch(key, e, fetcher);
  }

  #fetch<T>(key: string, e: Entry, fetcher: () => Promise<T>): Promise<T> {
    this.stats.fetches++;
    const generation = e.generation;
    let p: Promise<T>;
    try {
      p = Promise.resolve(fetcher());
    } catch (err) {
      p = Promise.reject(err);
    }
    const settled = p.then(
      (value) => {
        if (e.inflight === settled) e.inflight = undefined;
        // Invalidated meanwhile (or evicted): the answer may predate the change, so it is not kept.
        if (e.generation === generation && this.#entries.get(key) === e) {
          e.value = value;
          e.storedAt = this.#now();
        }
        return value;
      },
      (err: unknown) => {
        if (e.inflight === settled) e.inflight = undefined;
        throw err;
      },
    );
    e.inflight = settled;
    return settled;
  }

  #evict(): void {
    while (this.#entries.size > this.#maxEntries) {
      const oldest = this.#entries.keys().next().value as string;
      this.#entries.delete(oldest);
    }
  }

  /** The cached value of `key` if it may still be served (fresh or stale), without fetching. */
  peek<T>(key: string): T | undefined {
    const e = this.#entries.get(key);
    if (!e || e.storedAt === undefined) return undefined;
    return this.#now() - e.storedAt < e.ttlMs + e.staleMs ? (e.value as T) : undefined;
  }

  /** Stores a value known to be current (e.g. the answer of a write). */
  set<T>(key: string, value: T, options: GetOptions = {}): void {
    let e = this.#entries.get(key);
    if (!e) {
      e = { ttlMs: options.ttlMs ?? this.#ttlMs, staleMs: options.staleMs ?? this.#staleMs, generation: 0 };
      this.#entries.set(key, e);
      this.#evict();
    }
    e.generation++;
    e.inflight = undefined;
    e.value = value;
    e.storedAt = this.#now();
  }

  /**
   * Drops `key`, or every key starting with `prefix + ':'` or equal to it when `{ prefix: true }`.
   * A fetch in flight for a dropped key is detached: it is not stored and not shared any more.
   */
  invalidate(key: string, options: { prefix?: boolean } = {}): number {
    let n = 0;
    for (const [k, e] of this.#entries) {
      if (k === key || (options.prefix && k.startsWith(key + ':'))) {
        e.generation++;
        e.inflight = undefined;
        e.value = undefined;
        e.storedAt = undefined;
        n++;
      }
    }
    this.stats.invalidations += n;
    return n;
  }

  /** A realtime event arrived: drops the keys `invalidateOn[event]` names (each as a prefix). */
  onEvent(event: string): number {
    let n = 0;
    for (const prefix of this.#invalidateOn[event] ?? []) n += this.invalidate(prefix, { prefix: true });
    return n;
  }

  clear(): void {
    for (const e of this.#entries.values()) e.generation++;
    this.#entries.clear();
  }

  get size(): number {
    return this.#entries.size;
  }
}
