/**
 * Where a member goes to look at or attack a target on torn.com. Torn serves the attack page at
 * page.php?sid=attack since April 2026 (loader.php?sid=attack before; public scripts moved their
 * matches and links then, see test/torn-reality/).
 */
export function targetLinks(playerId: number): { profile: string; attack: string } {
  return {
    profile: `https://www.torn.com/profiles.php?XID=${playerId}`,
    attack: `https://www.torn.com/page.php?sid=attack&user2ID=${playerId}`,
  };
}
