// What a simulated key may read. Every key is Limited Access unless a test issues it another level
// (POST /__sim/keys/{key}/access); a Custom key reads only the selections it was given, and anything
// else answers Torn's error 16, as Torn does.

/** Torn's `ApiKeyAccessTypeEnum`. */
export const KEY_ACCESS_TYPES = ['Custom', 'Public Only', 'Minimal Access', 'Limited Access', 'Full Access'] as const;

/** The categories of v2 `key/info`'s `selections`, all required by the spec. */
export const KEY_INFO_CATEGORIES = ['company', 'faction', 'market', 'property', 'torn', 'user', 'racing', 'forum', 'key'] as const;
type Category = (typeof KEY_INFO_CATEGORIES)[number];

export interface KeyAccess {
  level: number;
  type: (typeof KEY_ACCESS_TYPES)[number];
  /** Custom keys only: what they may read, by category. */
  custom?: Partial<Record<Category, string[]>>;
}

/** Selections Torn grants every key, custom ones included, in any section. */
const EVERY_KEY = ['timestamp', 'lookup'];

export const DEFAULT_KEY_ACCESS: KeyAccess = { level: 3, type: 'Limited Access' };

/** What `key/info` lists for a key of a default level: the selections the simulator serves. */
const SERVED: Record<Category, string[]> = {
  company: [],
  faction: ['chain', 'chainreport', 'members', 'rankedwarreport', 'rankedwars', 'wars'],
  market: [],
  property: [],
  torn: [],
  user: ['basic'],
  racing: [],
  forum: [],
  key: ['info'],
};

/** `key/info`'s `selections` for this access. */
export function listedSelections(access: KeyAccess): Record<Category, string[]> {
  if (!access.custom) return SERVED;
  const custom = access.custom;
  // Torn lists `info` for every key: a key may always describe itself.
  return Object.fromEntries(KEY_INFO_CATEGORIES.map((c) => [c, c === 'key' ? ['info'] : (custom[c] ?? [])])) as Record<Category, string[]>;
}

/** Whether the key may read these selections of a section; levels other than Custom read everything the simulator serves. */
export function mayRead(access: KeyAccess, section: string, selections: readonly string[]): boolean {
  if (!access.custom || section === 'key') return true;
  const granted = access.custom[section as Category] ?? [];
  // An empty selection list asks for the section's default, `basic` on v1 and on v2 `user`.
  const asked = selections.length > 0 ? selections : ['basic'];
  return asked.every((s) => granted.includes(s) || EVERY_KEY.includes(s));
}
