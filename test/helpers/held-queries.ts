import type { Database } from '../../src/db/database.js';

/** A query caught by holdNext: its answer is kept back until release(). */
export interface HeldQuery {
  /** Resolves once the query has run (its answer is in and held). */
  caught: Promise<void>;
  release(): void;
}

/**
 * The same database, whose next query matching a test's choice runs and then has its answer held
 * back until the test releases it: a way to stop a request at a chosen point (after it read the
 * database, before it acts on what it read) and make something happen there, deterministically.
 * Nothing else is changed: every query still runs on the real database.
 */
export function holdingDatabase(db: Database): {
  db: Database;
  holdNext(match: (sql: string, params: readonly unknown[]) => boolean): HeldQuery;
} {
  let armed: { match: (sql: string, params: readonly unknown[]) => boolean; caught: () => void; gate: Promise<void> } | undefined;
  const query: Database['query'] = async (sql, params = []) => {
    const hold = armed?.match(sql, params) ? armed : undefined;
    if (hold) armed = undefined;
    const result = await db.query(sql, params);
    if (hold) {
      hold.caught();
      await hold.gate;
    }
    return result as never;
  };
  const held = new Proxy(db, {
    get(target, prop) {
      if (prop === 'query') return query;
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return {
    db: held,
    holdNext(match) {
      let caught!: () => void;
      let release!: () => void;
      const caughtP = new Promise<void>((r) => (caught = r));
      const gate = new Promise<void>((r) => (release = r));
      armed = { match, caught, gate };
      return { caught: caughtP, release };
    },
  };
}
