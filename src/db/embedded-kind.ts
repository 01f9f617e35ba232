import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** The two embedded databases: a PostgreSQL server run by TornCat, or PGlite (WebAssembly, in-process). */
export type EmbeddedKind = 'postgres' | 'pglite';

/**
 * Which embedded database a data directory gets when nobody chose: PostgreSQL, except where an
 * older TornCat already keeps its data in PGlite and there is no embedded PostgreSQL yet. Those
 * stay on PGlite (starting an empty database over a faction's data would lose its keys and
 * calls) until the operator chooses with TORNCAT_EMBEDDED.
 */
export function embeddedKind(dataDir: string, chosen: EmbeddedKind | undefined): { kind: EmbeddedKind; legacy: boolean } {
  if (chosen) return { kind: chosen, legacy: false };
  const legacy = existsSync(join(dataDir, 'pglite', 'PG_VERSION')) && !existsSync(join(dataDir, 'postgres'));
  return { kind: legacy ? 'pglite' : 'postgres', legacy };
}
