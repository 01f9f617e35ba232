import type { Store } from './storage.js';

const TOKEN_KEY = 'torncat.token';
const WHO_KEY = 'torncat.who';

/** What Torn issues: 16 letters and digits. Checked here so a typo never costs a sign-in attempt. */
export function isApiKey(text: string): boolean {
  return /^[A-Za-z0-9]{16}$/.test(text);
}

/**
 * The session token and the name of whom it belongs to, kept in the client's Store so that a visit
 * resumes signed in. The token is read once: another tab's sign-in does not switch this one.
 */
export class Session {
  readonly #store: Store;
  #token: string | null;

  constructor(store: Store) {
    this.#store = store;
    this.#token = store.get(TOKEN_KEY);
  }

  get token(): string | null {
    return this.#token;
  }

  /** How the view named the member at sign-in; absent for a session kept from before it was stored. */
  get who(): string | undefined {
    return this.#store.get(WHO_KEY) ?? undefined;
  }

  begin(token: string, who: string): void {
    this.#token = token;
    this.#store.set(TOKEN_KEY, token);
    this.#store.set(WHO_KEY, who);
  }

  end(): void {
    this.#token = null;
    this.#store.set(TOKEN_KEY, null);
    this.#store.set(WHO_KEY, null);
  }
}
