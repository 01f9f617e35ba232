import type { Store } from './storage.js';

/**
 * The alerts already given, by key, each kept until a time of its own (server clock, Unix seconds).
 * With a store it outlives the page: the userscript starts afresh on every torn.com page, and an
 * alert must not fire again on each of them.
 */
export class FiredSet {
  readonly #keepUntil = new Map<string, number>();
  readonly #store: Store | undefined;
  readonly #storeKey: string;

  constructor(storeKey: string, store?: Store) {
    this.#store = store;
    this.#storeKey = storeKey;
    try {
      const saved = JSON.parse(store?.get(storeKey) ?? '{}') as unknown;
      if (saved && typeof saved === 'object')
        for (const [k, v] of Object.entries(saved)) if (typeof v === 'number') this.#keepUntil.set(k, v);
    } catch {
      /* a damaged entry is as good as none */
    }
  }

  has(key: string): boolean {
    return this.#keepUntil.has(key);
  }

  keys(): IterableIterator<string> {
    return this.#keepUntil.keys();
  }

  /** Records `key` as `add` does unless it is there already; true when it was not (the alert is due). */
  once(key: string, keepUntil: number, now: number): boolean {
    if (this.has(key)) return false;
    this.add(key, keepUntil, now);
    return true;
  }

  /** Records `key` until `keepUntil`, dropping the entries past their own time as of `now`. */
  add(key: string, keepUntil: number, now: number): void {
    for (const [k, until] of this.#keepUntil) if (until < now) this.#keepUntil.delete(k);
    this.#keepUntil.set(key, keepUntil);
    this.#store?.set(this.#storeKey, JSON.stringify(Object.fromEntries(this.#keepUntil)));
  }
}
