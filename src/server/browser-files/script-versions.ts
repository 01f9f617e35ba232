import type { Database } from '../../db/database.js';

/**
 * The increasing number of a served script's content (owns `script_versions`): the first node to
 * serve a new digest takes the next serial; the others, and later restarts, read the same one.
 */
export class ScriptVersions {
  readonly #known = new Map<string, number>();
  constructor(private readonly db: Database) {}

  async serialOf(digest: string): Promise<number> {
    const known = this.#known.get(digest);
    if (known !== undefined) return known;
    await this.db.query('insert into script_versions (digest) values ($1) on conflict (digest) do nothing', [digest]);
    const r = await this.db.query<{ serial: string }>('select serial from script_versions where digest = $1', [digest]);
    const serial = Number(r.rows[0].serial);
    this.#known.set(digest, serial);
    return serial;
  }
}
