declare const GM_getValue: ((key: string, def?: unknown) => unknown) | undefined;
declare const GM_setValue: ((key: string, value: unknown) => void) | undefined;
declare const GM_deleteValue: ((key: string) => void) | undefined;

export interface Store {
  get(key: string): string | null;
  set(key: string, value: string | null): void;
}

/** The userscript manager's storage (GM_getValue/GM_setValue: not readable by torn.com's own scripts), else localStorage. */
export function detectStore(): Store {
  if (typeof GM_getValue === 'function' && typeof GM_setValue === 'function') {
    return {
      get: (key) => {
        const v = GM_getValue(key, null);
        return typeof v === 'string' ? v : null;
      },
      set: (key, value) => {
        if (value === null && typeof GM_deleteValue === 'function') GM_deleteValue(key);
        else GM_setValue(key, value);
      },
    };
  }
  return {
    get: (key) => {
      try {
        return localStorage.getItem(key);
      } catch {
        return null;
      }
    },
    set: (key, value) => {
      try {
        if (value === null) localStorage.removeItem(key);
        else localStorage.setItem(key, value);
      } catch {
        /* storage disabled: the session lasts as long as the page */
      }
    },
  };
}
