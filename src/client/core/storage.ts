declare const GM_getValue: ((key: string, def?: unknown) => unknown) | undefined;
declare const GM_setValue: ((key: string, value: unknown) => void) | undefined;
declare const GM_deleteValue: ((key: string) => void) | undefined;

/** Where a client keeps its session and settings across visits. */
export interface Store {
  get(key: string): string | null;
  set(key: string, value: string | null): void;
}

/** The userscript manager's storage where there is one (torn.com's own scripts cannot read it), else localStorage. */
export function detectStore(): Store {
  return typeof GM_getValue === 'function' && typeof GM_setValue === 'function' ? gmStore(GM_getValue, GM_setValue) : localStore();
}

function gmStore(getValue: NonNullable<typeof GM_getValue>, setValue: NonNullable<typeof GM_setValue>): Store {
  return {
    get: (key) => {
      const v = getValue(key, null);
      return typeof v === 'string' ? v : null;
    },
    set: (key, value) => {
      if (value === null && typeof GM_deleteValue === 'function') GM_deleteValue(key);
      else setValue(key, value);
    },
  };
}

export function localStore(): Store {
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
        /* storage disabled (private mode): the session lasts as long as the page */
      }
    },
  };
}
