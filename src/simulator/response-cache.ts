// Torn caches each answer for 29 seconds per section + selections + id, whoever's key asks.
// The simulator keys on the *resolved* id (the key owner's faction for /faction/members, the key
// itself for key/info) so two factions never share an answer, which Torn does not do either.

const CACHE_WINDOW_MS = 29_000;

interface Entry {
  body: string;
  storedAtMs: number;
}

export class ResponseCache {
  readonly #entries = new Map<string, Entry>();

  get(cacheKey: string, nowMs: number): string | undefined {
    const entry = this.#entries.get(cacheKey);
    if (entry === undefined) return undefined;
    if (nowMs - entry.storedAtMs >= CACHE_WINDOW_MS) {
      this.#entries.delete(cacheKey);
      return undefined;
    }
    return entry.body;
  }

  set(cacheKey: string, body: string, nowMs: number): void {
    this.#entries.set(cacheKey, { body, storedAtMs: nowMs });
  }

  clear(): void {
    this.#entries.clear();
  }
}
