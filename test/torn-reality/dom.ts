// Torn's own markup where TornCat draws, reduced to what public scripts select on (hashed class names
// such as `member___tEskU` change with Torn's builds; scripts match their stable part, `[class*='member___']`,
// or the plain classes beside them). The fixture pages under test/userscript/torn-fixtures/ follow these.
import type { SourceId } from './sources.js';

export interface DomEntry {
  /** The selector a public script uses, and what it finds. */
  selector: string;
  finds: string;
  source: SourceId;
}

/** A ranked-war row of the enemy list (factions.php#/war/rank), as captured on 2026-06-22, decorations of other scripts removed. */
export const WAR_ROW = (id: number, name: string): string =>
  `<li class="enemy enemy___dUgtm">` +
  `<div class="member icons left member___tEskU"><div class="userInfoBox___SpD9F">` +
  `<div class="honorWrap___HZmuX"><a class="linkWrap___oVXBN" href="/profiles.php?XID=${id}" aria-label="View profile of ${name}">` +
  `<span class="honor-text">${name}</span></a></div></div></div>` +
  `<div class="level left level___pwbgk">100</div>` +
  `<div class="points left points___LV5Ar">146.25</div>` +
  `<div class="status left okay status___BLAOt">Okay</div>` +
  `<div class="attack left attack___naVWZ"><a class="t-blue h c-pointer" href="/page.php?sid=attack&amp;user2ID=${id}">Attack</a></div>` +
  `<div class="clear"></div></li>`;

export const WAR_DOM: readonly DomEntry[] = [
  { selector: '.faction-war .enemy-faction .members-list > li.enemy', finds: 'an enemy row', source: 'ffScouterMarkup' },
  { selector: 'li.enemy a[href*="profiles.php?XID="]', finds: "the row's member (its id in XID)", source: 'ffScouterMarkup' },
  { selector: 'li.enemy .status', finds: "Torn's status cell (Okay, Hospital, Traveling …)", source: 'ffScouterMarkup' },
  {
    selector: 'li.enemy .attack a[href*="page.php?sid=attack&user2ID="]',
    finds: 'the attack link, current URL',
    source: 'ffScouterMarkup',
  },
];

/**
 * Torn fixes a war row's height; scripts that add to a row override it. Two readings: 34px (a cell
 * sized 20px with 7px above and below to sit in the row) and 32px (the `min-height` a script gives a
 * row it lets grow). Both are tested.
 */
export const WAR_ROW_HEIGHTS: ReadonlyArray<{ px: number; source: SourceId }> = [
  { px: 34, source: 'ffScouterCss' },
  { px: 32, source: 'warHelper' },
];

/** The attack page (page.php?sid=attack&user2ID=<id>), as TornTools reads it. */
export const ATTACK_DOM: readonly DomEntry[] = [
  {
    selector: "div[class*='playersModelWrap___'] div[class*='player___']",
    finds: "the two players' boxes, attacker first",
    source: 'tornToolsHead',
  },
  { selector: '#defender', finds: "the defender's box", source: 'tornToolsHead' },
  {
    selector: "[class*='playerArea__'] [class*='playerWindow__'] [class*='dialogButtons__']",
    finds: "the defender window's buttons (Start fight)",
    source: 'tornToolsHead',
  },
];
