// Torn's page URLs a war caller meets, as public scripts match and link them.
import type { SourceId } from './sources.js';

export interface PageEntry {
  url: string;
  page: 'attack' | 'profile' | 'war';
  /** The player the page is about (attack: user2ID, profile: XID). */
  targetId: number | null;
  /** `current`: the form Torn serves today; `old`: still reached through old links and bookmarks. */
  form: 'current' | 'old';
  source: SourceId;
}

export const PAGES: readonly PageEntry[] = [
  {
    url: 'https://www.torn.com/page.php?sid=attack&user2ID=2683610',
    page: 'attack',
    targetId: 2683610,
    form: 'current',
    source: 'ffScouterMarkup',
  },
  {
    url: 'https://www.torn.com/page.php?sid=attack&user2ID=329533',
    page: 'attack',
    targetId: 329533,
    form: 'current',
    source: 'tornToolsAttackUrl',
  },
  { url: 'https://www.torn.com/loader.php?sid=attack&user2ID=329533', page: 'attack', targetId: 329533, form: 'old', source: 'warHelper' },
  { url: 'https://www.torn.com/profiles.php?XID=2683610', page: 'profile', targetId: 2683610, form: 'current', source: 'ffScouterMarkup' },
  { url: 'https://www.torn.com/factions.php?step=your#/war/rank', page: 'war', targetId: null, form: 'current', source: 'warHelper' },
];

/** How Torn's war rows link a member's attack page today (relative, as in the captured rows). */
export const ROW_ATTACK_HREF = (id: number): string => `/page.php?sid=attack&user2ID=${id}`;
